// Country names in the nine interface languages (locale.h). Columns follow kLanguages:
// en, es, fr, de, it, pt, ru, zh, ja. Short forms where a long official one is usual
// nowhere but in treaties ("США", "ОАЭ", "ЮАР").
#include "net/locale.h"

#include <array>

namespace parley::locale {
namespace {

struct Country {
    const char* code;
    std::array<const char*, kLanguageCount> name;
};

const Country kCountries[] = {
    {"ES", {"Spain", "España", "Espagne", "Spanien", "Spagna", "Espanha", "Испания", "西班牙", "スペイン"}},
    {"PT", {"Portugal", "Portugal", "Portugal", "Portugal", "Portogallo", "Portugal", "Португалия", "葡萄牙", "ポルトガル"}},
    {"FR", {"France", "Francia", "France", "Frankreich", "Francia", "França", "Франция", "法国", "フランス"}},
    {"BE", {"Belgium", "Bélgica", "Belgique", "Belgien", "Belgio", "Bélgica", "Бельгия", "比利时", "ベルギー"}},
    {"NL",
     {"Netherlands", "Países Bajos", "Pays-Bas", "Niederlande", "Paesi Bassi",
      "Países Baixos", "Нидерланды", "荷兰", "オランダ"}},
    {"LU",
     {"Luxembourg", "Luxemburgo", "Luxembourg", "Luxemburg", "Lussemburgo",
      "Luxemburgo", "Люксембург", "卢森堡", "ルクセンブルク"}},
    {"DE", {"Germany", "Alemania", "Allemagne", "Deutschland", "Germania", "Alemanha", "Германия", "德国", "ドイツ"}},
    {"AT", {"Austria", "Austria", "Autriche", "Österreich", "Austria", "Áustria", "Австрия", "奥地利", "オーストリア"}},
    {"CH", {"Switzerland", "Suiza", "Suisse", "Schweiz", "Svizzera", "Suíça", "Швейцария", "瑞士", "スイス"}},
    {"IT", {"Italy", "Italia", "Italie", "Italien", "Italia", "Itália", "Италия", "意大利", "イタリア"}},
    {"SM",
     {"San Marino", "San Marino", "Saint-Marin", "San Marino", "San Marino",
      "São Marinho", "Сан-Марино", "圣马力诺", "サンマリノ"}},
    {"GB",
     {"United Kingdom", "Reino Unido", "Royaume-Uni", "Vereinigtes Königreich", "Regno Unito",
      "Reino Unido", "Великобритания", "英国", "イギリス"}},
    {"IE", {"Ireland", "Irlanda", "Irlande", "Irland", "Irlanda", "Irlanda", "Ирландия", "爱尔兰", "アイルランド"}},
    {"SE", {"Sweden", "Suecia", "Suède", "Schweden", "Svezia", "Suécia", "Швеция", "瑞典", "スウェーデン"}},
    {"NO", {"Norway", "Noruega", "Norvège", "Norwegen", "Norvegia", "Noruega", "Норвегия", "挪威", "ノルウェー"}},
    {"DK", {"Denmark", "Dinamarca", "Danemark", "Dänemark", "Danimarca", "Dinamarca", "Дания", "丹麦", "デンマーク"}},
    {"FI", {"Finland", "Finlandia", "Finlande", "Finnland", "Finlandia", "Finlândia", "Финляндия", "芬兰", "フィンランド"}},
    {"PL", {"Poland", "Polonia", "Pologne", "Polen", "Polonia", "Polónia", "Польша", "波兰", "ポーランド"}},
    {"CZ", {"Czechia", "Chequia", "Tchéquie", "Tschechien", "Cechia", "Chéquia", "Чехия", "捷克", "チェコ"}},
    {"SK",
     {"Slovakia", "Eslovaquia", "Slovaquie", "Slowakei", "Slovacchia",
      "Eslováquia", "Словакия", "斯洛伐克", "スロバキア"}},
    {"HU", {"Hungary", "Hungría", "Hongrie", "Ungarn", "Ungheria", "Hungria", "Венгрия", "匈牙利", "ハンガリー"}},
    {"SI", {"Slovenia", "Eslovenia", "Slovénie", "Slowenien", "Slovenia", "Eslovénia", "Словения", "斯洛文尼亚", "スロベニア"}},
    {"HR", {"Croatia", "Croacia", "Croatie", "Kroatien", "Croazia", "Croácia", "Хорватия", "克罗地亚", "クロアチア"}},
    {"RO", {"Romania", "Rumanía", "Roumanie", "Rumänien", "Romania", "Roménia", "Румыния", "罗马尼亚", "ルーマニア"}},
    {"BG", {"Bulgaria", "Bulgaria", "Bulgarie", "Bulgarien", "Bulgaria", "Bulgária", "Болгария", "保加利亚", "ブルガリア"}},
    {"GR", {"Greece", "Grecia", "Grèce", "Griechenland", "Grecia", "Grécia", "Греция", "希腊", "ギリシャ"}},
    {"TR", {"Türkiye", "Turquía", "Turquie", "Türkei", "Turchia", "Turquia", "Турция", "土耳其", "トルコ"}},
    {"UA", {"Ukraine", "Ucrania", "Ukraine", "Ukraine", "Ucraina", "Ucrânia", "Украина", "乌克兰", "ウクライナ"}},
    {"RU", {"Russia", "Rusia", "Russie", "Russland", "Russia", "Rússia", "Россия", "俄罗斯", "ロシア"}},
    {"BY",
     {"Belarus", "Bielorrusia", "Biélorussie", "Belarus", "Bielorussia",
      "Bielorrússia", "Беларусь", "白俄罗斯", "ベラルーシ"}},
    {"KZ",
     {"Kazakhstan", "Kazajistán", "Kazakhstan", "Kasachstan", "Kazakistan",
      "Cazaquistão", "Казахстан", "哈萨克斯坦", "カザフスタン"}},
    {"MA", {"Morocco", "Marruecos", "Maroc", "Marokko", "Marocco", "Marrocos", "Марокко", "摩洛哥", "モロッコ"}},
    {"DZ", {"Algeria", "Argelia", "Algérie", "Algerien", "Algeria", "Argélia", "Алжир", "阿尔及利亚", "アルジェリア"}},
    {"TN", {"Tunisia", "Túnez", "Tunisie", "Tunesien", "Tunisia", "Tunísia", "Тунис", "突尼斯", "チュニジア"}},
    {"EG", {"Egypt", "Egipto", "Égypte", "Ägypten", "Egitto", "Egito", "Египет", "埃及", "エジプト"}},
    {"ZA",
     {"South Africa", "Sudáfrica", "Afrique du Sud", "Südafrika", "Sudafrica",
      "África do Sul", "ЮАР", "南非", "南アフリカ"}},
    {"AO", {"Angola", "Angola", "Angola", "Angola", "Angola", "Angola", "Ангола", "安哥拉", "アンゴラ"}},
    {"AE",
     {"United Arab Emirates", "Emiratos Árabes Unidos", "Émirats arabes unis", "Vereinigte Arabische Emirate", "Emirati Arabi Uniti",
      "Emirados Árabes Unidos", "ОАЭ", "阿联酋", "アラブ首長国連邦"}},
    {"SA",
     {"Saudi Arabia", "Arabia Saudí", "Arabie saoudite", "Saudi-Arabien", "Arabia Saudita",
      "Arábia Saudita", "Саудовская Аравия", "沙特阿拉伯", "サウジアラビア"}},
    {"IL", {"Israel", "Israel", "Israël", "Israel", "Israele", "Israel", "Израиль", "以色列", "イスラエル"}},
    {"US",
     {"United States", "Estados Unidos", "États-Unis", "Vereinigte Staaten", "Stati Uniti",
      "Estados Unidos", "США", "美国", "アメリカ合衆国"}},
    {"CA", {"Canada", "Canadá", "Canada", "Kanada", "Canada", "Canadá", "Канада", "加拿大", "カナダ"}},
    {"MX", {"Mexico", "México", "Mexique", "Mexiko", "Messico", "México", "Мексика", "墨西哥", "メキシコ"}},
    {"BR", {"Brazil", "Brasil", "Brésil", "Brasilien", "Brasile", "Brasil", "Бразилия", "巴西", "ブラジル"}},
    {"AR",
     {"Argentina", "Argentina", "Argentine", "Argentinien", "Argentina",
      "Argentina", "Аргентина", "阿根廷", "アルゼンチン"}},
    {"CL", {"Chile", "Chile", "Chili", "Chile", "Cile", "Chile", "Чили", "智利", "チリ"}},
    {"CO", {"Colombia", "Colombia", "Colombie", "Kolumbien", "Colombia", "Colômbia", "Колумбия", "哥伦比亚", "コロンビア"}},
    {"PE", {"Peru", "Perú", "Pérou", "Peru", "Perù", "Peru", "Перу", "秘鲁", "ペルー"}},
    {"IN", {"India", "India", "Inde", "Indien", "India", "Índia", "Индия", "印度", "インド"}},
    {"CN", {"China", "China", "Chine", "China", "Cina", "China", "Китай", "中国", "中国"}},
    {"TW", {"Taiwan", "Taiwán", "Taïwan", "Taiwan", "Taiwan", "Taiwan", "Тайвань", "台湾", "台湾"}},
    {"JP", {"Japan", "Japón", "Japon", "Japan", "Giappone", "Japão", "Япония", "日本", "日本"}},
    {"KR",
     {"South Korea", "Corea del Sur", "Corée du Sud", "Südkorea", "Corea del Sud",
      "Coreia do Sul", "Республика Корея", "韩国", "韓国"}},
    {"SG", {"Singapore", "Singapur", "Singapour", "Singapur", "Singapore", "Singapura", "Сингапур", "新加坡", "シンガポール"}},
    {"VN", {"Vietnam", "Vietnam", "Viêt Nam", "Vietnam", "Vietnam", "Vietname", "Вьетнам", "越南", "ベトナム"}},
    {"TH", {"Thailand", "Tailandia", "Thaïlande", "Thailand", "Thailandia", "Tailândia", "Таиланд", "泰国", "タイ"}},
    {"ID",
     {"Indonesia", "Indonesia", "Indonésie", "Indonesien", "Indonesia",
      "Indonésia", "Индонезия", "印度尼西亚", "インドネシア"}},
    {"MY", {"Malaysia", "Malasia", "Malaisie", "Malaysia", "Malaysia", "Malásia", "Малайзия", "马来西亚", "マレーシア"}},
    {"AU",
     {"Australia", "Australia", "Australie", "Australien", "Australia",
      "Austrália", "Австралия", "澳大利亚", "オーストラリア"}},
    {"NZ",
     {"New Zealand", "Nueva Zelanda", "Nouvelle-Zélande", "Neuseeland", "Nuova Zelanda",
      "Nova Zelândia", "Новая Зеландия", "新西兰", "ニュージーランド"}},
};

const Country* find(std::string_view code) {
    for (const Country& c : kCountries)
        if (code == c.code) return &c;
    return nullptr;
}

}  // namespace

const char* country_name_or_null(std::string_view code, std::string_view lang) {
    const Country* c = find(code);
    return c ? c->name[language_index(lang)] : nullptr;
}

std::string country_name(std::string_view code, std::string_view lang) {
    const char* n = country_name_or_null(code, lang);
    return n && *n ? n : std::string(code);
}

std::vector<std::string> country_codes() {
    std::vector<std::string> out;
    for (const Country& c : kCountries) out.push_back(c.code);
    return out;
}

}  // namespace parley::locale
