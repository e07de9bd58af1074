#include "server/domain/volume_seed.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>

#include "server/base/crypto.h"
#include "server/base/text.h"
#include "server/documents/files.h"
#include "server/domain/workflow.h"

namespace parley::server {

namespace {

constexpr Millis kMinute = 60 * 1000, kHour = 60 * kMinute, kDay = 24 * kHour;

struct Lang {
    const char* code;
    const char* country[3];
    const char* first[4];
    const char* last[4];
    const char* company;        // with %s: the last name
    const char* products[4];
    const char* requests[3];    // the request's text
    const char* buyer[4];       // a buyer's message
    const char* seller[4];      // a seller's answer
};

const Lang kLangs[] = {
    {"es", {"ES", "AR", "MX"}, {"Lucía", "Jorge", "Carmen", "Andrés"}, {"García", "Romero", "Navarro", "Ortega"},
     "Talleres %s S.L.", {"Bomba de engranajes", "Válvula de bola DN50", "Cilindro hidráulico", "Central hidráulica"},
     {"Necesitamos cotización para nuestra planta.", "¿Cuál es el plazo de entrega?", "Buscamos proveedor fijo."},
     {"¿Pueden confirmar el precio con transporte incluido?", "Gracias, lo revisamos con producción.",
      "¿Tienen certificado CE para este modelo?", "Necesitamos la entrega antes de fin de mes."},
     {"Le adjunto nuestra oferta actualizada.", "El plazo es de tres semanas desde el pedido.",
      "Sí, incluimos el certificado y el manual.", "Podemos ofrecer un descuento por volumen."}},
    {"en", {"GB", "IE", "US"}, {"Oliver", "Emma", "Harry", "Grace"}, {"Smith", "Walsh", "Turner", "Hughes"},
     "%s Engineering Ltd", {"Gear pump", "Ball valve DN50", "Hydraulic cylinder", "Power unit"},
     {"Please quote for our new line.", "What is your lead time?", "Looking for a long-term supplier."},
     {"Could you confirm the price including freight?", "Thanks, we are checking with production.",
      "Do you have CE certification for this model?", "We need delivery before the end of the month."},
     {"Please find our updated offer attached.", "Lead time is three weeks from order.",
      "Yes, the certificate and manual are included.", "We can offer a volume discount."}},
    {"fr", {"FR", "BE", "CH"}, {"Camille", "Louis", "Chloé", "Hugo"}, {"Lefèvre", "Moreau", "Girard", "Bonnet"},
     "Ateliers %s SARL", {"Pompe à engrenages", "Vanne à boisseau DN50", "Vérin hydraulique", "Centrale hydraulique"},
     {"Merci de nous faire une offre.", "Quel est votre délai de livraison ?", "Nous cherchons un fournisseur."},
     {"Pouvez-vous confirmer le prix transport compris ?", "Merci, nous vérifions avec la production.",
      "Avez-vous le marquage CE pour ce modèle ?", "Nous avons besoin de la livraison avant la fin du mois."},
     {"Veuillez trouver notre offre mise à jour.", "Le délai est de trois semaines après commande.",
      "Oui, le certificat et la notice sont inclus.", "Nous pouvons accorder une remise sur volume."}},
    {"de", {"DE", "AT", "CH"}, {"Jonas", "Lena", "Matthias", "Sophie"}, {"Müller", "Schröder", "Weiß", "Köhler"},
     "%s Maschinenbau GmbH", {"Zahnradpumpe", "Kugelhahn DN50", "Hydraulikzylinder", "Hydraulikaggregat"},
     {"Bitte um ein Angebot für unser Werk.", "Wie ist Ihre Lieferzeit?", "Wir suchen einen festen Lieferanten."},
     {"Können Sie den Preis inklusive Fracht bestätigen?", "Danke, wir prüfen das mit der Fertigung.",
      "Gibt es eine CE-Konformitätserklärung für dieses Modell?", "Wir brauchen die Lieferung bis Monatsende."},
     {"Anbei unser aktualisiertes Angebot.", "Die Lieferzeit beträgt drei Wochen ab Bestellung.",
      "Ja, Zertifikat und Handbuch liegen bei.", "Wir können einen Mengenrabatt anbieten."}},
    {"it", {"IT", "CH", "SM"}, {"Giulia", "Marco", "Chiara", "Luca"}, {"Rossi", "Ferrari", "Bianchi", "Greco"},
     "Officine %s S.r.l.", {"Pompa a ingranaggi", "Valvola a sfera DN50", "Cilindro idraulico", "Centralina idraulica"},
     {"Vi chiediamo un preventivo.", "Qual è il tempo di consegna?", "Cerchiamo un fornitore stabile."},
     {"Potete confermare il prezzo con trasporto incluso?", "Grazie, verifichiamo con la produzione.",
      "Avete la certificazione CE per questo modello?", "Ci serve la consegna entro fine mese."},
     {"In allegato la nostra offerta aggiornata.", "La consegna è in tre settimane dall'ordine.",
      "Sì, certificato e manuale sono inclusi.", "Possiamo offrire uno sconto sulla quantità."}},
    {"pt", {"PT", "BR", "AO"}, {"João", "Beatriz", "Tiago", "Inês"}, {"Silva", "Conceição", "Gonçalves", "Araújo"},
     "Metalúrgica %s Lda", {"Bomba de engrenagens", "Válvula de esfera DN50", "Cilindro hidráulico", "Unidade hidráulica"},
     {"Precisamos de um orçamento.", "Qual é o prazo de entrega?", "Procuramos um fornecedor fixo."},
     {"Podem confirmar o preço com transporte?", "Obrigado, vamos verificar com a produção.",
      "Têm certificado CE para este modelo?", "Precisamos da entrega até ao fim do mês."},
     {"Segue a nossa proposta atualizada.", "O prazo é de três semanas após a encomenda.",
      "Sim, o certificado e o manual estão incluídos.", "Podemos oferecer um desconto por volume."}},
    {"ru", {"RU", "KZ", "BY"}, {"Алексей", "Ольга", "Дмитрий", "Наталья"}, {"Иванов", "Смирнов", "Кузнецов", "Попов"},
     "ООО «%s Пром»", {"Шестерённый насос", "Шаровой кран DN50", "Гидроцилиндр", "Гидростанция"},
     {"Просим выслать коммерческое предложение.", "Каков срок поставки?", "Ищем постоянного поставщика."},
     {"Подтвердите, пожалуйста, цену с доставкой.", "Спасибо, уточняем с производством.",
      "Есть ли сертификат CE на эту модель?", "Нужна поставка до конца месяца."},
     {"Направляем обновлённое предложение.", "Срок поставки — три недели с момента заказа.",
      "Да, сертификат и руководство прилагаются.", "Можем предложить скидку за объём."}},
    {"zh", {"CN", "TW", "SG"}, {"伟", "芳", "强", "静"}, {"王", "李", "张", "刘"},
     "%s氏液压有限公司", {"齿轮泵", "球阀门DN50", "液压缸", "液压站"},
     {"请为我们的工厂报价。", "交货期是多久？", "我们在寻找长期供应商。"},
     {"请确认含运费的价格。", "谢谢，我们和生产部门核实一下。", "这个型号有CE认证吗？", "我们需要在月底前交货。"},
     {"附上我们更新后的报价。", "下单后三周交货。", "是的，包含证书和说明书。", "批量订购可以提供折扣。"}},
    {"ja", {"JP", "JP", "JP"}, {"翔太", "陽菜", "大輝", "美咲"}, {"佐藤", "鈴木", "高橋", "田中"},
     "%s工業株式会社", {"ギアポンプ", "ボールバルブDN50", "油圧シリンダ", "油圧ユニット"},
     {"見積もりをお願いします。", "納期はどのくらいですか？", "長期の取引先を探しています。"},
     {"送料込みの価格を確認できますか？", "ありがとうございます。製造部と確認します。",
      "このモデルのCE認証はありますか？", "月末までに納品が必要です。"},
     {"更新した見積書を添付します。", "納期はご注文から三週間です。", "はい、証明書と取扱説明書が付きます。",
      "数量割引が可能です。"}},
};

// A small valid PDF: every generated document points at it (stored once by content).
const char kPdf[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

std::string fill(const char* pattern, const std::string& value) {
    std::string out = pattern;
    const size_t at = out.find("%s");
    if (at != std::string::npos) out.replace(at, 2, value);
    return out;
}

}  // namespace

VolumeReport seed_volume(Store& store, const VolumeSpec& spec, Millis now,
                         const std::function<void(const std::string&)>& progress) {
    VolumeReport out;
    std::mt19937_64 rng(spec.seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    auto say = [&](const std::string& s) {
        if (progress) progress(s);
    };
    const auto started = std::chrono::steady_clock::now();

    // The demo's manufacturer and network.
    int64_t maker = 0;
    for (const auto& u : store.users())
        if (u.role == kRoleManufacturer && !maker) maker = u.id;
    if (!maker) throw StoreError("load-demo needs the demo data first");

    const std::string pdf_sha = sha256_hex(std::string_view(kPdf, sizeof kPdf - 1));
    if (!spec.files_dir.empty()) FileStore(spec.files_dir).put(pdf_sha, std::string_view(kPdf, sizeof kPdf - 1));
    // A seller's message carries the PDF as a quote document.
    auto add_pdf = [&](const Message& m, const std::string& name) {
        Attachment a;
        a.conversation_id = m.conversation_id;
        a.message_id = m.id;
        a.uploader_id = m.author_id;
        a.name = name;
        a.type = kTypePdf;
        a.kind = "quote";
        a.size = static_cast<int64_t>(sizeof kPdf - 1);
        a.sha256 = pdf_sha;
        a.created = m.created;
        store.add_attachment(a);
    };

    // Buyers: about one per 40 requests, in the nine languages.
    const int nbuyers = std::max(20, spec.requests / 40);
    std::vector<int64_t> buyers;
    std::vector<const Lang*> buyer_lang;
    std::vector<std::string> buyer_country;
    store.transaction([&] {
        for (int i = 0; i < nbuyers; ++i) {
            const Lang& l = kLangs[static_cast<size_t>(i) % std::size(kLangs)];
            UserRecord u;
            const std::string last = l.last[pick(4)];
            u.name = std::string(l.first[pick(4)]) + " " + last + " " + std::to_string(i + 1);
            u.company = fill(l.company, last);
            u.country = l.country[pick(3)];
            u.language = l.code;
            u.role = kRoleBuyer;
            u.email = "buyer" + std::to_string(i + 1) + "@volume.example";
            buyers.push_back(store.add_user(u));
            buyer_lang.push_back(&l);
            buyer_country.push_back(u.country);
        }
    });
    say("buyers: " + std::to_string(nbuyers));

    // Requests and messages in time order over three years: each step opens a request or
    // adds a message to a recent one (most negotiations are short and close together).
    struct Open {
        int64_t id, conversation, buyer;
        const Lang* lang;
        int messages;
        bool quoted = false;
    };
    // A structured quote after a seller's answer: sent, then (as buyers do) often opened,
    // sometimes accepted.
    auto add_quote = [&](Open& o, Millis t) {
        Quote q;
        q.request_id = o.id;
        q.conversation_id = o.conversation;
        q.currency = "EUR";
        const std::string product = o.lang->products[pick(4)];
        q.lines = {{product, "VOL-" + std::to_string(100 + pick(900)), static_cast<int64_t>(1 + pick(60)) * 1000,
                    "pcs", static_cast<int64_t>(50 + pick(950)) * 100, pick(3) == 0 ? 500 : 0}};
        q.tax_bp = 2100;
        q.incoterm = "DAP";
        q.lead_time_days = static_cast<int>(5 + pick(40));
        q.created = t;
        q.valid_until = t + 30 * kDay;
        q.payment_terms = "30 days net";
        q.online_payment = pick(2) == 0;
        update_totals(q);
        const time_t secs = static_cast<time_t>(t / 1000);
        std::tm utc{};
        gmtime_r(&secs, &utc);
        q = store.add_quote(q, maker, utc.tm_year + 1900);
        store.add_event(quote_event(q, "quote_sent", maker, t));
        o.quoted = true;
        ++out.quotes;
        if (pick(3) == 0) return;
        store.mark_quote_opened(q.id, t + 2 * kHour);
        store.add_event(quote_event(q, "quote_opened", o.buyer, t + 2 * kHour));
        if (pick(4) != 0) return;
        store.accept_quote(q.id, "Volume Buyer", q.version, t + 3 * kHour);
        EventRecord accepted = quote_event(q, "quote_accepted", o.buyer, t + 3 * kHour);
        accepted.event.text = "Volume Buyer";
        store.add_event(accepted);
    };
    std::vector<Open> opened;
    opened.reserve(static_cast<size_t>(spec.requests));
    const long steps = spec.requests + spec.messages;
    const Millis start = now - 3 * 365 * kDay;
    const Millis step = steps > 0 ? std::max<Millis>(1, (now - 2 * kDay - start) / steps) : 1;
    long made_messages = 0;
    int made_requests = 0;
    long i = 0;
    while (i < steps) {
        store.transaction([&] {
            for (int k = 0; k < 5000 && i < steps; ++k, ++i) {
                const Millis t = start + i * step;
                const bool new_request =
                    opened.empty() || (made_requests < spec.requests &&
                                       (made_messages >= spec.messages ||
                                        pick(static_cast<size_t>(steps)) < static_cast<size_t>(spec.requests)));
                if (new_request) {
                    const size_t b = pick(buyers.size());
                    const Lang& l = *buyer_lang[b];
                    RequestRecord r{0, buyers[b], maker, l.products[pick(4)], l.requests[pick(3)], buyer_country[b],
                                    l.code, t};
                    open_request(store, r, t + kMinute);
                    const int64_t c = store.add_conversation(r.id, maker, "received", 0, t).first;
                    store.set_text_lang(tagged_id("r", r.id), r.id, l.code);  // known: no detection at start-up
                    opened.push_back(Open{r.id, c, buyers[b], &l, 0, false});
                    ++made_requests;
                    continue;
                }
                // A recent request most of the time, now and then an old one.
                const size_t n = opened.size();
                const size_t at = pick(10) == 0 ? pick(n) : n - 1 - pick(std::min<size_t>(n, 300));
                Open& o = opened[at];
                const bool seller = o.messages % 2 == 0;
                const std::string body = seller ? o.lang->seller[pick(4)] : o.lang->buyer[pick(4)];
                Message m = store.add_message(o.conversation, seller ? maker : o.buyer, body, t);
                store.set_text_lang(tagged_id("m", m.id), o.id, o.lang->code);
                if (seller && pick(8) == 0) add_pdf(m, "Angebot-" + std::to_string(m.id) + ".pdf");
                if (seller && !o.quoted && pick(6) == 0) add_quote(o, t + kMinute);
                if (pick(3) == 0) store.mark_read(seller ? o.buyer : maker, o.conversation, 0, t + kMinute);
                ++o.messages;
                ++made_messages;
            }
        });
        if (i % 100000 < 5000) say(std::to_string(made_requests) + " requests, " + std::to_string(made_messages) + " messages");
    }
    out.requests = made_requests;
    out.messages = made_messages;

    // The long negotiation: a German buyer and the manufacturer over two years, a
    // document now and then, read marks as they go.
    if (spec.long_thread > 0) {
        UserRecord u;
        u.name = "Volker Langer";
        u.company = "Langer Antriebstechnik GmbH";
        u.country = "DE";
        u.language = "de";
        u.role = kRoleBuyer;
        u.email = "volker.langer@volume.example";
        u.phone = "+49 711 555 0190";
        const int64_t buyer = store.add_user(u);
        const Lang& de = kLangs[3];
        const Millis t0 = now - 2 * 365 * kDay;
        RequestRecord r{0, buyer, maker, VolumeReport::kLongProduct,
                        "Wir planen einen Rahmenvertrag über 400 Hydraulikaggregate HA-90 in Abrufen.", "DE", "de", t0};
        const Millis gap = (now - kHour - t0) / (spec.long_thread + 1);
        int n = 0;
        while (n < spec.long_thread) {
            store.transaction([&] {
                if (n == 0) {
                    open_request(store, r, t0 + kMinute);
                    out.long_request = r.id;
                    store.set_text_lang(tagged_id("r", r.id), r.id, "de");
                }
                const int64_t c = store.add_conversation(r.id, maker, "received", 0, t0).first;
                for (int k = 0; k < 5000 && n < spec.long_thread; ++k, ++n) {
                    const Millis t = t0 + (n + 1) * gap;
                    const bool seller = n % 2 == 1;
                    std::string body = seller ? de.seller[pick(4)] : de.buyer[pick(4)];
                    if (n == 0)
                        body = std::string("Zum Auftakt: Unser ") + VolumeReport::kOldestWord +
                               " braucht zuerst zwei Aggregate zur Abnahme.";
                    else
                        body += " (Abruf " + std::to_string(n / 2 + 1) + ")";
                    Message m = store.add_message(c, seller ? maker : buyer, body, t);
                    store.set_text_lang(tagged_id("m", m.id), r.id, "de");
                    if (n == 0) out.long_oldest_message = m.id;
                    if (seller && n % 50 == 1) add_pdf(m, "Abruf-" + std::to_string(n / 2 + 1) + ".pdf");
                    if (n % 7 == 0) store.mark_read(seller ? buyer : maker, c, 0, t + kMinute);
                }
            });
        }
        out.messages += spec.long_thread;
        say("long negotiation: request " + std::to_string(out.long_request) + ", " + std::to_string(spec.long_thread) +
            " messages");
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    say("done in " + std::to_string(static_cast<int>(secs)) + " s");
    return out;
}

}  // namespace parley::server
