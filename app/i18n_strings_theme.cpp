// UI strings of dark mode (the top bar's theme switch, ui.cpp), in the nine languages.
// Same rules as i18n_strings.cpp: English is the key, a missing entry falls back to English.
#include <utility>
#include <vector>

namespace parley::i18n {

struct Entry { const char* en; const char* text; };
using Tables = std::vector<std::pair<const char*, std::vector<Entry>>>;

const std::vector<const char*>& english_keys_theme() {
    static const std::vector<const char*> k = {
        "Theme: {0}", "System", "Light", "Dark", "Colour theme: {0}", "System follows your device's setting.",
        "Click to switch to {0}."};
    return k;
}

const Tables& tables_theme() {
    static const Tables t = {
        {"es", {
            {"Theme: {0}", "Tema: {0}"}, {"System", "Sistema"}, {"Light", "Claro"}, {"Dark", "Oscuro"},
            {"Colour theme: {0}", "Tema de color: {0}"},
            {"System follows your device's setting.", "Sistema sigue el ajuste de su dispositivo."},
            {"Click to switch to {0}.", "Haga clic para cambiar a {0}."},
        }},
        {"fr", {
            {"Theme: {0}", "Thème : {0}"}, {"System", "Système"}, {"Light", "Clair"}, {"Dark", "Sombre"},
            {"Colour theme: {0}", "Thème de couleurs : {0}"},
            {"System follows your device's setting.", "Système suit le réglage de votre appareil."},
            {"Click to switch to {0}.", "Cliquez pour passer à {0}."},
        }},
        {"de", {
            {"Theme: {0}", "Design: {0}"}, {"System", "System"}, {"Light", "Hell"}, {"Dark", "Dunkel"},
            {"Colour theme: {0}", "Farbschema: {0}"},
            {"System follows your device's setting.", "System folgt der Einstellung Ihres Geräts."},
            {"Click to switch to {0}.", "Klicken, um zu „{0}“ zu wechseln."},
        }},
        {"it", {
            {"Theme: {0}", "Tema: {0}"}, {"System", "Sistema"}, {"Light", "Chiaro"}, {"Dark", "Scuro"},
            {"Colour theme: {0}", "Tema dei colori: {0}"},
            {"System follows your device's setting.", "Sistema segue l'impostazione del dispositivo."},
            {"Click to switch to {0}.", "Fai clic per passare a {0}."},
        }},
        {"pt", {
            {"Theme: {0}", "Tema: {0}"}, {"System", "Sistema"}, {"Light", "Claro"}, {"Dark", "Escuro"},
            {"Colour theme: {0}", "Tema de cores: {0}"},
            {"System follows your device's setting.", "Sistema segue a configuração do seu dispositivo."},
            {"Click to switch to {0}.", "Clique para mudar para {0}."},
        }},
        {"ru", {
            {"Theme: {0}", "Тема: {0}"}, {"System", "Системная"}, {"Light", "Светлая"}, {"Dark", "Тёмная"},
            {"Colour theme: {0}", "Цветовая тема: {0}"},
            {"System follows your device's setting.", "Системная тема следует настройке вашего устройства."},
            {"Click to switch to {0}.", "Нажмите, чтобы выбрать: {0}."},
        }},
        {"zh", {
            {"Theme: {0}", "主题：{0}"}, {"System", "跟随系统"}, {"Light", "浅色"}, {"Dark", "深色"},
            {"Colour theme: {0}", "配色主题：{0}"},
            {"System follows your device's setting.", "跟随系统：使用设备的设置。"},
            {"Click to switch to {0}.", "点击切换为{0}。"},
        }},
        {"ja", {
            {"Theme: {0}", "テーマ：{0}"}, {"System", "システム"}, {"Light", "ライト"}, {"Dark", "ダーク"},
            {"Colour theme: {0}", "カラーテーマ：{0}"},
            {"System follows your device's setting.", "システム：デバイスの設定に従います。"},
            {"Click to switch to {0}.", "クリックして{0}に切り替え。"},
        }},
    };
    return t;
}

}  // namespace parley::i18n
