// The demo data. See seed.h.
//
// Index: buyers and their requests (each in the buyer's language) · short threads ·
// the long negotiation (the benchmark thread) · the sales network · seed_demo (users,
// requests opened and routed as the API does, messages, read marks, a quote sent,
// opened, accepted and paid)
#include "server/domain/seed.h"

#include "server/domain/workflow.h"

#include <ctime>
#include <string>
#include <vector>

namespace parley::server {
namespace {

constexpr Millis kMinute = 60 * 1000;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;

struct DemoBuyer {
    const char *name, *company, *country, *language, *email, *phone;
    const char *product, *message;
    double days_ago;  // when the request was sent
};

// Buyers and their requests, each written in the buyer's language.
const DemoBuyer kBuyers[] = {
    {"Javier Morales", "Construcciones Morales e Hijos S.L.", "ES", "es", "javier.morales@morales-hijos.es",
     "+34 976 412 388", "Bomba hidráulica de engranajes BG-25",
     "Buenos días. Necesitamos 12 bombas de engranajes BG-25 para nuestras retroexcavadoras. "
     "¿Podrían indicarnos precio unitario, plazo de entrega a Zaragoza y si ofrecen descuento por volumen?",
     20.5},
    {"Pierre Dubois", "Dubois Levage SARL", "FR", "fr", "p.dubois@dubois-levage.fr", "+33 4 72 10 55 21",
     "Vérins hydrauliques double effet VH-80",
     "Bonjour, nous cherchons 30 vérins double effet VH-80 (course 500 mm) pour des plateformes élévatrices. "
     "Pourriez-vous nous envoyer une offre avec les délais de livraison vers Lyon ?",
     19.2},
    {"Stefan Müller", "Müller Fördertechnik GmbH", "DE", "de", "s.mueller@mueller-foerdertechnik.de",
     "+49 711 938 2210", kDemoLongThreadProduct,
     "Guten Tag Frau Iglesias, für unsere Förderanlagen benötigen wir im kommenden Jahr ca. 400 Zahnradpumpen "
     "ZP-40. Wir möchten einen Rahmenvertrag mit quartalsweisen Abrufen vereinbaren. Bitte senden Sie uns "
     "Ihre Konditionen, Lieferzeiten und die technischen Datenblätter.",
     21.0},
    {"Giulia Rossi", "Rossi Macchine Agricole S.r.l.", "IT", "it", "giulia.rossi@rossimacchine.it",
     "+39 0521 778 412", "Motoriduttori a ingranaggi MR-110",
     "Buongiorno, siamo interessati a 50 motoriduttori MR-110 con rapporto 1:40 per i nostri nastri "
     "trasportatori. Potete inviarci un preventivo con i tempi di consegna per Parma?",
     17.8},
    {"João Silva", "Silva & Filhos Lda.", "PT", "pt", "joao.silva@silvafilhos.pt", "+351 22 508 3341",
     "Válvulas direcionais 4/3 VD-10",
     "Bom dia. Precisamos de 40 válvulas direcionais 4/3 VD-10 com comando elétrico de 24 V. "
     "Qual é o prazo de entrega para o Porto e o preço para esta quantidade?",
     16.4},
    {"James Wilson", "Wilson Marine Engineering Ltd", "GB", "en", "j.wilson@wilsonmarine.co.uk",
     "+44 23 8061 4470", "Hydraulic power unit HPU-15 (marine grade)",
     "Hello, we are refitting two fishing vessels and need two HPU-15 hydraulic power units with marine-grade "
     "coating and a 15 kW motor. Could you quote delivered to Southampton, including certification?",
     15.1},
    {"Lucía Fernández", "Agroindustrias del Ebro S.A.", "ES", "es", "lfernandez@agroebro.es",
     "+34 948 221 907", "Válvulas reguladoras de caudal VRC-6",
     "Hola, queremos sustituir las válvulas reguladoras de caudal de nuestra línea de envasado. "
     "Serían 25 unidades VRC-6. ¿Disponen de stock?",
     14.3},
    {"Camille Laurent", "Agri-Équipements Laurent", "FR", "fr", "camille@agri-laurent.fr", "+33 2 41 66 73 09",
     "Moteurs hydrauliques orbitaux MO-200",
     "Bonjour, nous avons besoin de 15 moteurs orbitaux MO-200 pour des enrouleurs d'irrigation. "
     "Quel est votre meilleur prix et le délai pour Angers ?",
     13.0},
    {"Anna Schneider", "Schneider Landmaschinen KG", "DE", "de", "a.schneider@schneider-landmaschinen.de",
     "+49 5141 90 33 12", "Hydraulikzylinder HZ-63 für Frontlader",
     "Sehr geehrte Damen und Herren, wir suchen 60 Hydraulikzylinder HZ-63 (Hub 700 mm) für Frontlader. "
     "Bitte teilen Sie uns Preis und Lieferzeit nach Celle mit.",
     12.2},
    {"Marco Bianchi", "Oleodinamica Bianchi S.p.A.", "IT", "it", "m.bianchi@oleobianchi.it", "+39 02 9475 1180",
     "Pompe a pistoni assiali PA-45",
     "Salve, distribuiamo componenti oleodinamici in Lombardia e vorremmo inserire le vostre pompe a pistoni "
     "assiali PA-45 nel nostro catalogo. Quali condizioni offrite ai distributori?",
     11.6},
    {"Ana Souza", "Souza Equipamentos Industriais Ltda.", "BR", "pt", "ana.souza@souzaequip.com.br",
     "+55 11 3321 8876", "Bombas de palhetas BP-32",
     "Olá! Gostaríamos de receber uma cotação para 80 bombas de palhetas BP-32, com frete até Santos. "
     "Vocês têm representante no Brasil?",
     10.4},
    {"Emily Carter", "Carter Mining Supplies Pty Ltd", "AU", "en", "emily.carter@cartermining.com.au",
     "+61 8 9221 5403", "Heavy-duty gear motors GM-300",
     "Hi, we supply mining contractors in Western Australia and need 20 heavy-duty GM-300 gear motors "
     "rated for continuous operation at 45 °C. What lead time can you offer to Perth?",
     9.2},
    {"Carlos Hernández", "Maquinaria Pesada del Norte S.A. de C.V.", "MX", "es", "chernandez@mpnorte.mx",
     "+52 81 8344 2290", "Bloques de válvulas a medida",
     "Estimada Sra. Iglesias, fabricamos grúas hidráulicas en Monterrey y buscamos un proveedor de bloques de "
     "válvulas a medida. ¿Pueden trabajar con nuestros planos? Adjuntaríamos las especificaciones.",
     8.1},
    {"Markus Gruber", "Gruber Baumaschinen GmbH", "AT", "de", "m.gruber@gruber-bau.at", "+43 662 43 81 20",
     "Druckbegrenzungsventile DBV-20",
     "Grüß Gott, wir brauchen kurzfristig 35 Druckbegrenzungsventile DBV-20 (Einstellbereich 50–315 bar). "
     "Ist eine Lieferung nach Salzburg innerhalb von zwei Wochen möglich?",
     7.0},
    {"Julien Peeters", "Peeters Hydraulique SPRL", "BE", "fr", "julien@peeters-hydraulique.be",
     "+32 4 223 91 70", "Accumulateurs hydropneumatiques AC-10",
     "Bonjour Madame, nous souhaitons commander 18 accumulateurs à vessie AC-10 (10 litres, 330 bar). "
     "Pouvez-vous confirmer la conformité à la directive DESP et le délai pour Liège ?",
     6.3},
    {"Sarah Johnson", "Johnson Industrial Hydraulics Inc.", "US", "en", "sjohnson@johnsonhyd.com",
     "+1 414 555 0187", "Proportional valves PV-16",
     "Good morning, we are looking for an alternative supplier of PV-16 proportional valves (about 150 per "
     "year). Can you share pricing tiers, lead times to Milwaukee and your warranty terms?",
     5.1},
    {"Sofía Romero", "Metalúrgica Pampeana S.A.", "AR", "es", "sromero@pampeana.com.ar",
     "+54 341 447 6021", "Centrales hidráulicas compactas CH-7",
     "Hola, necesitamos cotización de 6 centrales hidráulicas compactas CH-7 para prensas. "
     "¿Podrían incluir el costo de envío a Rosario?",
     4.2},
    {"Youssef Benali", "Benali Travaux Publics", "MA", "fr", "y.benali@benali-tp.ma", "+212 522 48 93 10",
     "Pompes hydrauliques pour pelles 20 t",
     "Bonjour, pour l'entretien de notre parc de pelles de 20 tonnes nous cherchons des pompes hydrauliques "
     "compatibles. Pouvez-vous nous conseiller un modèle et nous faire une offre pour 8 unités ?",
     3.0},
    {"Luca Ferri", "Ferri Impianti S.r.l.", "IT", "it", "luca.ferri@ferrimpianti.it", "+39 051 633 2094",
     "Valvole a sfera ad alta pressione VS-25",
     "Buonasera, ci servono 100 valvole a sfera VS-25 per alta pressione (500 bar). "
     "Potete indicarci prezzo e disponibilità?",
     1.6},
    {"Rahul Mehta", "Mehta Engineering Works", "IN", "en", "rahul@mehtaengg.in", "+91 22 2837 4410",
     "Gear pumps BG-25 and spare seal kits",
     "Dear Sir/Madam, we would like a quotation for 40 BG-25 gear pumps plus 100 spare seal kits, "
     "CIF Nhava Sheva. Please also send the datasheets.",
     0.4},
    // Russian, Chinese and Japanese buyers (appended: the ids above stay as they are).
    {"Алексей Смирнов", "ООО «Уралгидромаш»", "RU", "ru", "a.smirnov@uralgidromash.ru", "+7 343 217 45 90",
     "Гидроцилиндры HZ-63 с уплотнениями",
     "Добрый день! Наше предприятие выпускает лесозаготовительную технику в Екатеринбурге. "
     "Нам требуются 24 гидроцилиндра HZ-63 (ход 700 мм) и 10 комплектов уплотнений. "
     "Просим сообщить цену, срок поставки до Екатеринбурга и условия оплаты.",
     18.6},
    {"王建国", "江苏恒力液压机械有限公司", "CN", "zh", "wang.jianguo@henglihydraulic.cn", "+86 519 8861 3027",
     "BG-25 齿轮泵（小型挖掘机用）",
     "您好！我公司是一家工程机械制造商，现需采购200台BG-25齿轮泵，用于小型挖掘机。"
     "请提供单价、到上海港的交货期以及付款方式。如有产品样本和技术参数，也请一并发送。谢谢！",
     17.3},
    {"佐藤 健一", "株式会社佐藤油圧工業", "JP", "ja", "k.sato@sato-yuatsu.co.jp", "+81 52 681 4420",
     "比例制御弁 PV-16（産業用プレス機向け）",
     "はじめまして。弊社は名古屋で産業用プレス機を製造しております。比例制御弁PV-16を年間約120台"
     "購入したいと考えております。価格、名古屋港までの納期、および保証条件をお知らせいただけますでしょうか。"
     "よろしくお願いいたします。",
     18.1},
};

// Short threads on a few requests: {buyer index, author (0 = manufacturer, 1 = buyer), hours after the
// request, text}.
struct DemoMessage {
    int buyer;
    int author;
    double hours;
    const char* body;
};
const DemoMessage kMessages[] = {
    {0, 0, 5, "Buenos días, Javier. Para 12 unidades BG-25 el precio es de 385 € por unidad, con un 5 % de "
              "descuento a partir de 10. Plazo de entrega a Zaragoza: 10 días laborables."},
    {0, 1, 30, "Gracias, Marta. ¿Podrían entregar la mitad la próxima semana y el resto a final de mes?"},
    {1, 0, 20, "Bonjour Monsieur Dubois, merci pour votre demande. Les vérins VH-80 sont disponibles sous "
               "3 semaines ; je vous envoie l'offre détaillée aujourd'hui."},
    {3, 0, 8, "Buongiorno Giulia, i motoriduttori MR-110 1:40 sono a magazzino. Prezzo: 212 € cadauno, "
              "consegna a Parma in 7 giorni."},
    {3, 1, 26, "Perfetto, grazie. Potete fornire anche le flange di montaggio?"},
    {3, 0, 29, "Sì, certo: flangia FM-110 a 18 € l'una. Le aggiungo all'offerta."},
    {5, 0, 6, "Hello James, we can supply two HPU-15 units with C5-M marine coating and DNV documentation. "
              "Quotation to follow by tomorrow."},
    {10, 0, 12, "Olá Ana, obrigado pelo contacto. Temos um distribuidor em São Paulo; envio-lhe os dados dele "
                "e a nossa cotação para 80 bombas BP-32."},
    {10, 1, 40, "Obrigada! Aguardo a cotação."},
    {20, 0, 7, "Добрый день, Алексей! Гидроцилиндры HZ-63 есть на складе: 248 € за штуку, комплект "
               "уплотнений — 19 €. Поставка до Екатеринбурга займёт около трёх недель."},
    {20, 1, 31, "Спасибо! Можно ли оплатить 30 % предоплатой, а остальное после получения?"},
    {22, 0, 9, "佐藤様、お問い合わせありがとうございます。PV-16は在庫がございます。"
               "見積書と技術資料を本日中にお送りいたします。"},
    {22, 1, 26, "ありがとうございます。見積書を確認のうえ、改めてご連絡いたします。"},
};

// The long negotiation (benchmark thread): German buyer and the manufacturer alternate.
const char* const kLongBuyer[] = {
    "Vielen Dank für Ihr Angebot. Können Sie die Preise für Abrufmengen von 100 Stück pro Quartal bestätigen?",
    "Unsere Technik fragt nach dem maximalen Betriebsdruck der ZP-40 bei Dauerbetrieb.",
    "Wäre eine Lieferung frei Haus nach Stuttgart möglich?",
    "Wir bräuchten für die erste Lieferung zusätzlich 20 Dichtungssätze.",
    "Könnten Sie uns ein Muster für einen Dauertest zur Verfügung stellen?",
    "Der Dauertest läuft seit 300 Stunden ohne Auffälligkeiten.",
    "Bitte senden Sie uns die Konformitätserklärung und die Materialzertifikate 3.1.",
    "Können wir die Zahlungsbedingungen auf 60 Tage netto ändern?",
    "Unser Einkauf bittet um eine Preisgleitklausel für Stahl.",
    "Bitte bestätigen Sie die Lieferzeit für den zweiten Abruf.",
    "Die Ware ist eingetroffen, vielen Dank. Zwei Kartons waren leicht beschädigt.",
    "Können Sie die Pumpen künftig mit Verschlussstopfen an den Anschlüssen liefern?",
};
const char* const kLongManufacturer[] = {
    "Gerne bestätige ich die Preise für Abrufe ab 100 Stück pro Quartal.",
    "Der maximale Dauerbetriebsdruck der ZP-40 beträgt 250 bar, kurzzeitig 280 bar.",
    "Ja, ab einem Auftragswert von 5.000 € liefern wir frei Haus nach Stuttgart.",
    "Die 20 Dichtungssätze nehmen wir gern in die erste Lieferung auf.",
    "Ein Muster geht morgen per Express an Sie raus.",
    "Das freut uns sehr. Wir melden uns mit dem Entwurf des Rahmenvertrags.",
    "Die Konformitätserklärung und die Zeugnisse 3.1 sende ich Ihnen heute per E-Mail.",
    "60 Tage netto können wir ab dem zweiten Abruf anbieten.",
    "Eine Preisgleitklausel auf Basis des Stahlindex ist für uns in Ordnung.",
    "Der zweite Abruf wird in KW 14 ausgeliefert.",
    "Das tut mir leid. Bitte senden Sie uns Fotos, wir ersetzen die betroffenen Pumpen sofort.",
    "Selbstverständlich, ab sofort liefern wir alle Pumpen mit Verschlussstopfen.",
};


// The manufacturer's sales network (ids after the buyers, so buyer ids stay stable).
struct DemoMember {
    const char *name, *company, *country, *language, *role, *email, *zones[4];
    bool auto_cc;
};
const DemoMember kNetwork[] = {
    {"Tomás Navarro", "Hidráulica Iberia S.A.", "ES", "es", "area_manager", "tomas.navarro@hidraulica-iberia.es",
     {"ES", "PT"}, true},
    {"Claire Martin", "Hydrolec France SARL", "FR", "fr", "distributor", "claire.martin@hydrolec.fr",
     {"FR", "BE", "MA"}, false},
    {"Jonas Weber", "Nordhydraulik GmbH", "DE", "de", "distributor", "j.weber@nordhydraulik.de",
     {"DE", "AT", "CH"}, false},
};

}  // namespace

bool seed_demo(Store& store, Millis now) {
    if (!store.empty()) return false;
    store.transaction([&] {
        UserRecord maker;
        maker.name = "Marta Iglesias";
        maker.company = "Hidráulica Iberia S.A.";
        maker.country = "ES";
        maker.language = "es";
        maker.role = "manufacturer";
        maker.email = "marta.iglesias@hidraulica-iberia.es";
        maker.phone = "+34 91 555 0142";
        const int64_t maker_id = store.add_user(maker);

        std::vector<int64_t> buyer_ids;
        for (const auto& b : kBuyers) {
            UserRecord u{0, b.name, b.company, b.country, b.language, "buyer", b.email, b.phone};
            buyer_ids.push_back(store.add_user(u));
        }
        std::vector<int64_t> member_ids;
        for (const auto& m : kNetwork) {
            UserRecord u{0, m.name, m.company, m.country, m.language, m.role, m.email, "", maker_id};
            int64_t id = store.add_user(u);
            std::vector<std::string> zones;
            for (const char* z : m.zones)
                if (z) zones.push_back(z);
            store.set_network_member(id, maker_id, zones, m.auto_cc);
            member_ids.push_back(id);
        }

        // Requests spread over the last three weeks, at office-ish times, routed to the
        // network member covering the buyer's country.
        std::vector<int64_t> request_ids, received;
        std::vector<Millis> created;
        int index = 0;
        for (const auto& b : kBuyers) {
            Millis when = now - static_cast<Millis>(b.days_ago * kDay) + (index % 5) * 7 * kMinute;
            RequestRecord r{0, buyer_ids[static_cast<size_t>(index)], maker_id, b.product, b.message, b.country,
                            b.language, when};
            open_request(store, r, when + 2 * kMinute);
            request_ids.push_back(r.id);
            received.push_back(store.add_conversation(r.id, maker_id, "received", 0, when).first);
            created.push_back(when);
            ++index;
        }

        for (const auto& m : kMessages) {
            size_t i = static_cast<size_t>(m.buyer);
            int64_t author = m.author == 0 ? maker_id : buyer_ids[i];
            store.add_message(received[i], author, m.body, created[i] + static_cast<Millis>(m.hours * kHour));
        }

        // The 50-message thread (request of Stefan Müller, index 2): 25 rounds over ~20 days.
        const size_t longi = 2;
        const size_t nb = std::size(kLongBuyer), nm = std::size(kLongManufacturer);
        Millis t = created[longi];
        Millis step = (now - 2 * kHour - t) / 50;
        for (int i = 0; i < 50; ++i) {
            t += step;
            bool from_maker = i % 2 == 0;  // the manufacturer answers first, the buyer writes last
            size_t k = static_cast<size_t>(i / 2);
            std::string body = from_maker ? kLongManufacturer[k % nm] : kLongBuyer[k % nb];
            if (k >= (from_maker ? nm : nb)) body += " (Abruf " + std::to_string(k + 1) + ")";
            store.add_message(received[longi], from_maker ? maker_id : buyer_ids[longi], body, t);
        }

        // The network at work: Claire (distributor, France) answers Camille in her own
        // conversation; Jonas (distributor, Austria) answers Markus and closes the sale.
        const int64_t claire = member_ids[1], jonas = member_ids[2];
        {
            const size_t i = 7;  // Camille Laurent, FR
            int64_t c = store.add_conversation(request_ids[i], claire, "routed", received[i], created[i]).first;
            store.add_message(c, claire,
                              "Bonjour Madame Laurent, je suis Claire Martin, distributrice d'Hidráulica Iberia "
                              "pour la France. Les MO-200 sont en stock à Lyon : 164 € HT l'unité, livraison à "
                              "Angers sous 5 jours.", created[i] + 4 * kHour);
            store.add_message(c, buyer_ids[i], "Merci Claire, c'est parfait. Pouvez-vous m'appeler demain matin ?",
                              created[i] + 22 * kHour);
        }
        {
            const size_t i = 13;  // Markus Gruber, AT
            int64_t c = store.add_conversation(request_ids[i], jonas, "routed", received[i], created[i]).first;
            store.add_message(c, jonas,
                              "Grüß Gott Herr Gruber, 35 DBV-20 liefern wir aus unserem Lager in München "
                              "innerhalb von 8 Tagen nach Salzburg, 96 € netto pro Stück.",
                              created[i] + 3 * kHour);
            // His quote (per-seller number), opened, accepted and paid with the demo provider.
            Quote q;
            q.request_id = request_ids[i];
            q.conversation_id = c;
            q.currency = "EUR";
            q.lines = {{"Druckbegrenzungsventil DBV-20", "DBV-20", 35000, "Stk", 9600, 0}};
            q.tax_bp = 2000;  // Austrian VAT
            q.incoterm = "DAP";
            q.lead_time_days = 8;
            q.created = created[i] + 3 * kHour + 5 * 60000;
            q.valid_until = q.created + 30 * 24 * kHour;
            q.payment_terms = "Vorauskasse oder online";
            q.online_payment = true;
            update_totals(q);
            const time_t secs = static_cast<time_t>(q.created / 1000);
            std::tm utc{};
            gmtime_r(&secs, &utc);
            q = store.add_quote(q, jonas, utc.tm_year + 1900);
            store.add_event(quote_event(q, "quote_sent", jonas, q.created));
            store.mark_quote_opened(q.id, created[i] + 19 * kHour);
            store.add_event(quote_event(q, "quote_opened", buyer_ids[i], created[i] + 19 * kHour));
            store.accept_quote(q.id, "Markus Gruber", q.version, created[i] + 20 * kHour);
            EventRecord accepted = quote_event(q, "quote_accepted", buyer_ids[i], created[i] + 20 * kHour);
            accepted.event.text = "Markus Gruber";  // the name he typed
            store.add_event(accepted);
            store.record_payment({"demo", "evt_seed_" + std::to_string(q.id), "", q.id, q.totals.total, q.currency,
                                  "demo_pi_seed"}, created[i] + 20 * kHour + 10 * 60000);
            store.add_event(quote_event(q, "quote_paid", buyer_ids[i], created[i] + 20 * kHour + 10 * 60000));
            store.add_message(c, buyer_ids[i], "Passt, bitte liefern. Bestellung folgt per E-Mail.",
                              created[i] + 20 * kHour);
            store.set_conversation_status(c, "won", "", "", created[i] + 30 * kHour);
            EventRecord e;
            e.event.request_id = request_ids[i];
            e.event.conversation_id = c;
            e.event.kind = "sale_closed";
            e.event.actor_id = jonas;
            e.event.created = created[i] + 30 * kHour;
            e.audience = Audience::sellers;
            store.add_event(e);
        }
        // Giulia rated the manufacturer's answers.
        {
            const size_t i = 3;
            Millis when = created[i] + 31 * kHour;
            store.set_rating(received[i], 5, "Risposte rapide e precise, grazie.", when);
            EventRecord e;
            e.event.request_id = request_ids[i];
            e.event.conversation_id = received[i];
            e.event.kind = "rated";
            e.event.actor_id = buyer_ids[i];
            e.event.value = 5;
            e.event.text = "Risposte rapide e precise, grazie.";
            e.event.created = when;
            store.add_event(e);
        }

        // The manufacturer has opened a few requests without answering yet.
        for (size_t i : {6u, 8u, 13u}) store.mark_read(maker_id, received[i], 0, created[i] + 3 * kHour);
        // Some buyers have read the manufacturer's answers.
        store.mark_read(buyer_ids[1], received[1], 0, created[1] + 26 * kHour);
        store.mark_read(buyer_ids[5], received[5], 0, created[5] + 9 * kHour);
    });
    return true;
}

}  // namespace parley::server
