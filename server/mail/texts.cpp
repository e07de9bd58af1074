// The texts of notification e-mails. See texts.h. Columns follow kMailLanguages:
// en, es, fr, de, it, pt, ru, zh, ja. Subjects keep "Re:" in every language: mail
// clients thread on it.
#include "server/mail/texts.h"

#include <array>

namespace parley::server {
namespace {

constexpr size_t kLanguages = locale::kLanguageCount;

struct Entry {
    const char* id;
    std::array<const char*, kLanguages> text;
};

const Entry kTexts[] = {
    // --- subjects
    {"subject_new_request",
     {"New request: {product}", "Nueva solicitud: {product}", "Nouvelle demande : {product}",
      "Neue Anfrage: {product}", "Nuova richiesta: {product}", "Novo pedido: {product}",
      "Новый запрос: {product}", "新询价：{product}", "新しい問い合わせ：{product}"}},
    {"subject_reply",
     {"Re: {product}", "Re: {product}", "Re: {product}", "Re: {product}", "Re: {product}", "Re: {product}",
      "Re: {product}", "Re: {product}", "Re: {product}"}},
    {"subject_own_copy",
     {"Copy of your message: {product}", "Copia de su mensaje: {product}", "Copie de votre message : {product}",
      "Kopie Ihrer Nachricht: {product}", "Copia del suo messaggio: {product}", "Cópia da sua mensagem: {product}",
      "Копия вашего сообщения: {product}", "您的消息副本：{product}", "送信したメッセージの控え：{product}"}},
    {"subject_cc_added",
     {"In copy: {product}", "En copia: {product}", "En copie : {product}", "In Kopie: {product}",
      "In copia: {product}", "Em cópia: {product}", "В копии: {product}", "抄送：{product}", "CC：{product}"}},
    {"subject_forwarded",
     {"Forwarded to you: {product}", "Reenviada a usted: {product}", "Transférée à vous : {product}",
      "An Sie weitergeleitet: {product}", "Inoltrata a lei: {product}", "Encaminhado para si: {product}",
      "Переслано вам: {product}", "转发给您：{product}", "転送されました：{product}"}},
    {"subject_declined",
     {"Request declined: {product}", "Solicitud rechazada: {product}", "Demande déclinée : {product}",
      "Anfrage abgelehnt: {product}", "Richiesta rifiutata: {product}", "Pedido recusado: {product}",
      "Запрос отклонён: {product}", "询价已被拒绝：{product}", "問い合わせが辞退されました：{product}"}},
    {"subject_quote_sent",
     {"Quote {number}: {product}", "Presupuesto {number}: {product}", "Devis {number} : {product}",
      "Angebot {number}: {product}", "Preventivo {number}: {product}", "Orçamento {number}: {product}",
      "Коммерческое предложение {number}: {product}", "报价单 {number}：{product}", "見積書 {number}：{product}"}},
    {"subject_quote_accepted",
     {"Quote {number} accepted: {product}", "Presupuesto {number} aceptado: {product}",
      "Devis {number} accepté : {product}", "Angebot {number} angenommen: {product}",
      "Preventivo {number} accettato: {product}", "Orçamento {number} aceite: {product}",
      "Предложение {number} принято: {product}", "报价单 {number} 已接受：{product}",
      "見積書 {number} が承諾されました：{product}"}},
    {"subject_quote_paid",
     {"Quote {number} paid: {product}", "Presupuesto {number} pagado: {product}", "Devis {number} payé : {product}",
      "Angebot {number} bezahlt: {product}", "Preventivo {number} pagato: {product}",
      "Orçamento {number} pago: {product}", "Предложение {number} оплачено: {product}",
      "报价单 {number} 已付款：{product}", "見積書 {number} の支払いが完了しました：{product}"}},
    {"subject_receipt",
     {"Payment receipt, quote {number}: {product}", "Recibo de pago, presupuesto {number}: {product}",
      "Reçu de paiement, devis {number} : {product}", "Zahlungsbestätigung, Angebot {number}: {product}",
      "Ricevuta di pagamento, preventivo {number}: {product}", "Recibo de pagamento, orçamento {number}: {product}",
      "Квитанция об оплате, предложение {number}: {product}", "付款收据，报价单 {number}：{product}",
      "お支払いの領収書、見積書 {number}：{product}"}},

    // --- first lines
    {"intro_new_request",
     {"{buyer} sent a request about {product}:", "{buyer} ha enviado una solicitud sobre {product}:",
      "{buyer} a envoyé une demande concernant {product} :", "{buyer} hat eine Anfrage zu {product} gesendet:",
      "{buyer} ha inviato una richiesta per {product}:", "{buyer} enviou um pedido sobre {product}:",
      "{buyer} отправил(а) запрос о товаре «{product}»:", "{buyer} 发送了关于 {product} 的询价：",
      "{buyer} から {product} についての問い合わせが届きました："}},
    {"intro_reply",
     {"{author} wrote about {product}:", "{author} escribió sobre {product}:", "{author} a écrit à propos de {product} :",
      "{author} schrieb zu {product}:", "{author} ha scritto riguardo a {product}:", "{author} escreveu sobre {product}:",
      "{author} написал(а) о товаре «{product}»:", "{author} 就 {product} 写道：", "{author} から {product} についてのメッセージ："}},
    {"intro_own_copy",
     {"You wrote to {recipient} about {product}:", "Usted escribió a {recipient} sobre {product}:",
      "Vous avez écrit à {recipient} à propos de {product} :", "Sie haben {recipient} zu {product} geschrieben:",
      "Lei ha scritto a {recipient} riguardo a {product}:", "Escreveu a {recipient} sobre {product}:",
      "Вы написали {recipient} о товаре «{product}»:", "您就 {product} 给 {recipient} 写道：",
      "{recipient} に {product} について送信したメッセージ："}},
    {"intro_cc_added",
     {"{actor} put you in copy of a request about {product}.",
      "{actor} le ha puesto en copia de una solicitud sobre {product}.",
      "{actor} vous a mis en copie d'une demande concernant {product}.",
      "{actor} hat Sie in Kopie einer Anfrage zu {product} gesetzt.",
      "{actor} l'ha messa in copia di una richiesta per {product}.",
      "{actor} colocou-o em cópia de um pedido sobre {product}.",
      "{actor} добавил(а) вас в копию запроса о товаре «{product}».", "{actor} 将您抄送到关于 {product} 的询价中。",
      "{actor} さんがあなたを {product} についての問い合わせの CC に追加しました。"}},
    {"intro_forwarded",
     {"{actor} forwarded you a request about {product}.", "{actor} le ha reenviado una solicitud sobre {product}.",
      "{actor} vous a transféré une demande concernant {product}.",
      "{actor} hat Ihnen eine Anfrage zu {product} weitergeleitet.",
      "{actor} le ha inoltrato una richiesta per {product}.", "{actor} encaminhou-lhe um pedido sobre {product}.",
      "{actor} переслал(а) вам запрос о товаре «{product}».", "{actor} 向您转发了关于 {product} 的询价。",
      "{actor} さんから {product} についての問い合わせが転送されました。"}},
    {"label_note",
     {"Note from {actor}:", "Nota de {actor}:", "Note de {actor} :", "Notiz von {actor}:", "Nota di {actor}:",
      "Nota de {actor}:", "Примечание от {actor}:", "{actor} 的备注：", "{actor} さんからのメモ："}},
    {"label_request",
     {"The request from {buyer}:", "La solicitud de {buyer}:", "La demande de {buyer} :", "Die Anfrage von {buyer}:",
      "La richiesta di {buyer}:", "O pedido de {buyer}:", "Запрос от {buyer}:", "{buyer} 的询价：",
      "{buyer} からの問い合わせ："}},
    {"intro_declined_buyer",
     {"{actor} declined your request about {product}.", "{actor} ha rechazado su solicitud sobre {product}.",
      "{actor} a décliné votre demande concernant {product}.", "{actor} hat Ihre Anfrage zu {product} abgelehnt.",
      "{actor} ha rifiutato la sua richiesta per {product}.", "{actor} recusou o seu pedido sobre {product}.",
      "{actor} отклонил(а) ваш запрос о товаре «{product}».", "{actor} 拒绝了您关于 {product} 的询价。",
      "{actor} さんが {product} についてのお問い合わせを辞退しました。"}},
    {"intro_declined_seller",
     {"{actor} declined the request about {product}.", "{actor} ha rechazado la solicitud sobre {product}.",
      "{actor} a décliné la demande concernant {product}.", "{actor} hat die Anfrage zu {product} abgelehnt.",
      "{actor} ha rifiutato la richiesta per {product}.", "{actor} recusou o pedido sobre {product}.",
      "{actor} отклонил(а) запрос о товаре «{product}».", "{actor} 拒绝了关于 {product} 的询价。",
      "{actor} さんが {product} についての問い合わせを辞退しました。"}},
    {"label_reason",
     {"Reason: {reason}", "Motivo: {reason}", "Motif : {reason}", "Grund: {reason}", "Motivo: {reason}",
      "Motivo: {reason}", "Причина: {reason}", "原因：{reason}", "理由：{reason}"}},
    {"reason_not_my_product",
     {"the product is not in our range", "el producto no forma parte de nuestra gama",
      "le produit ne fait pas partie de notre gamme", "das Produkt gehört nicht zu unserem Sortiment",
      "il prodotto non è nella nostra gamma", "o produto não faz parte da nossa gama",
      "этого товара нет в нашем ассортименте", "该产品不在我们的产品范围内", "この製品は取り扱っておりません"}},
    {"reason_cannot_deliver",
     {"we cannot deliver it", "no podemos suministrarlo", "nous ne pouvons pas le livrer",
      "wir können es nicht liefern", "non possiamo consegnarlo", "não podemos entregá-lo",
      "мы не можем его поставить", "我们无法供货", "納品できません"}},
    {"reason_quantity_too_small",
     {"the quantity is too small", "la cantidad es demasiado pequeña", "la quantité est trop faible",
      "die Menge ist zu gering", "la quantità è troppo piccola", "a quantidade é demasiado pequena",
      "слишком малое количество", "数量太少", "数量が少なすぎます"}},
    {"reason_other",
     {"other", "otro motivo", "autre motif", "anderer Grund", "altro motivo", "outro motivo", "другая причина",
      "其他原因", "その他の理由"}},
    {"intro_quote_sent",
     {"{actor} sent you quote {number} (version {version}) for {product}. Total: {total}.",
      "{actor} le ha enviado el presupuesto {number} (versión {version}) para {product}. Total: {total}.",
      "{actor} vous a envoyé le devis {number} (version {version}) pour {product}. Total : {total}.",
      "{actor} hat Ihnen das Angebot {number} (Version {version}) für {product} gesendet. Gesamt: {total}.",
      "{actor} le ha inviato il preventivo {number} (versione {version}) per {product}. Totale: {total}.",
      "{actor} enviou-lhe o orçamento {number} (versão {version}) para {product}. Total: {total}.",
      "{actor} отправил(а) вам предложение {number} (версия {version}) на «{product}». Итого: {total}.",
      "{actor} 向您发送了 {product} 的报价单 {number}（第 {version} 版）。总计：{total}。",
      "{actor} さんから {product} の見積書 {number}（第 {version} 版）が届きました。合計：{total}。"}},
    {"intro_quote_accepted",
     {"{buyer} accepted quote {number} (version {version}) for {product}. Total: {total}.",
      "{buyer} ha aceptado el presupuesto {number} (versión {version}) para {product}. Total: {total}.",
      "{buyer} a accepté le devis {number} (version {version}) pour {product}. Total : {total}.",
      "{buyer} hat das Angebot {number} (Version {version}) für {product} angenommen. Gesamt: {total}.",
      "{buyer} ha accettato il preventivo {number} (versione {version}) per {product}. Totale: {total}.",
      "{buyer} aceitou o orçamento {number} (versão {version}) para {product}. Total: {total}.",
      "{buyer} принял(а) предложение {number} (версия {version}) на «{product}». Итого: {total}.",
      "{buyer} 已接受 {product} 的报价单 {number}（第 {version} 版）。总计：{total}。",
      "{buyer} さんが {product} の見積書 {number}（第 {version} 版）を承諾しました。合計：{total}。"}},
    {"intro_quote_paid",
     {"Quote {number} for {product} was paid online: {total}.",
      "El presupuesto {number} para {product} se ha pagado en línea: {total}.",
      "Le devis {number} pour {product} a été payé en ligne : {total}.",
      "Das Angebot {number} für {product} wurde online bezahlt: {total}.",
      "Il preventivo {number} per {product} è stato pagato online: {total}.",
      "O orçamento {number} para {product} foi pago online: {total}.",
      "Предложение {number} на «{product}» оплачено онлайн: {total}.",
      "{product} 的报价单 {number} 已在线付款：{total}。",
      "{product} の見積書 {number} がオンラインで支払われました：{total}。"}},
    {"intro_receipt",
     {"Thank you: your payment of {total} to {seller} for quote {number} ({product}) was received.",
      "Gracias: hemos recibido su pago de {total} a {seller} por el presupuesto {number} ({product}).",
      "Merci : votre paiement de {total} à {seller} pour le devis {number} ({product}) a bien été reçu.",
      "Vielen Dank: Ihre Zahlung von {total} an {seller} für das Angebot {number} ({product}) ist eingegangen.",
      "Grazie: il suo pagamento di {total} a {seller} per il preventivo {number} ({product}) è stato ricevuto.",
      "Obrigado: o seu pagamento de {total} a {seller} pelo orçamento {number} ({product}) foi recebido.",
      "Спасибо: ваш платёж {total} в адрес {seller} по предложению {number} («{product}») получен.",
      "谢谢：您就报价单 {number}（{product}）向 {seller} 支付的 {total} 已收到。",
      "ありがとうございます。見積書 {number}（{product}）について {seller} への {total} のお支払いを受け付けました。"}},
    {"label_attachments",
     {"Attachments:", "Adjuntos:", "Pièces jointes :", "Anhänge:", "Allegati:", "Anexos:", "Вложения:", "附件：",
      "添付ファイル："}},
    {"body_truncated",
     {"The message is too long for this e-mail; continue reading on the page:",
      "El mensaje es demasiado largo para este correo; siga leyendo en la página:",
      "Le message est trop long pour cet e-mail ; lisez la suite sur la page :",
      "Die Nachricht ist für diese E-Mail zu lang; lesen Sie auf der Seite weiter:",
      "Il messaggio è troppo lungo per questa e-mail; continui a leggere sulla pagina:",
      "A mensagem é demasiado longa para este e-mail; continue a ler na página:",
      "Сообщение слишком длинное для этого письма; продолжение на странице:",
      "消息过长，无法在此邮件中完整显示；请在页面上继续阅读：",
      "メッセージが長すぎるため、続きはページでお読みください："}},

    // --- e-mail in: the line above a reply posted whole because reply stripping left
    // nothing although something was written (in the author's language: it is their message)
    {"mail_in_whole_note",
     {"[The whole e-mail is shown: its new text could not be told from the quoted text.]",
      "[Se muestra el correo completo: no se pudo distinguir el texto nuevo del citado.]",
      "[L'e-mail est affiché en entier : son nouveau texte n'a pas pu être distingué du texte cité.]",
      "[Die ganze E-Mail wird angezeigt: Ihr neuer Text ließ sich nicht vom zitierten Text unterscheiden.]",
      "[Viene mostrata l'intera e-mail: non è stato possibile distinguere il testo nuovo da quello citato.]",
      "[É mostrado o e-mail completo: não foi possível distinguir o texto novo do texto citado.]",
      "[Показано всё письмо: новый текст не удалось отделить от цитаты.]",
      "[显示整封邮件：无法将新写的内容与引用的内容区分开。]",
      "[メール全体を表示しています：新しい本文と引用部分を区別できませんでした。]"}},
    // --- e-mail in: a reply in the recipient's name that proved nothing, held
    {"subject_reply_held",
     {"Please confirm your e-mail reply: {product}", "Confirme su respuesta por correo: {product}",
      "Confirmez votre réponse par e-mail : {product}", "Bitte bestätigen Sie Ihre E-Mail-Antwort: {product}",
      "Confermi la sua risposta via e-mail: {product}", "Confirme a sua resposta por e-mail: {product}",
      "Подтвердите ваш ответ по e-mail: {product}", "请确认您的邮件回复：{product}",
      "メールでの返信を確認してください：{product}"}},
    {"intro_reply_held",
     {"A reply to the request about {product} arrived from your address (\"{subject}\"), but your mail provider "
      "could not prove that you sent it. It is not posted. If you wrote it, open the request and choose \"Post it\"; "
      "if not, choose \"Discard\".",
      "Llegó una respuesta a la solicitud sobre {product} desde su dirección (\"{subject}\"), pero su proveedor "
      "de correo no pudo probar que la envió usted. No se ha publicado. Si la escribió usted, abra la solicitud y "
      "elija \"Publicar\"; si no, elija \"Descartar\".",
      "Une réponse à la demande concernant {product} est arrivée de votre adresse (« {subject} »), mais votre "
      "fournisseur de messagerie n'a pas pu prouver que vous l'avez envoyée. Elle n'est pas publiée. Si vous "
      "l'avez écrite, ouvrez la demande et choisissez « Publier » ; sinon, « Supprimer ».",
      "Eine Antwort auf die Anfrage zu {product} kam von Ihrer Adresse („{subject}“), aber Ihr E-Mail-Anbieter "
      "konnte nicht nachweisen, dass Sie sie gesendet haben. Sie wurde nicht veröffentlicht. Wenn Sie sie "
      "geschrieben haben, öffnen Sie die Anfrage und wählen Sie „Veröffentlichen“, sonst „Verwerfen“.",
      "È arrivata una risposta alla richiesta su {product} dal suo indirizzo («{subject}»), ma il suo provider di "
      "posta non ha potuto provare che l'ha inviata lei. Non è stata pubblicata. Se l'ha scritta lei, apra la "
      "richiesta e scelga «Pubblica»; altrimenti «Scarta».",
      "Chegou uma resposta ao pedido sobre {product} a partir do seu endereço («{subject}»), mas o seu fornecedor "
      "de e-mail não conseguiu provar que foi enviada por si. Não foi publicada. Se a escreveu, abra o pedido e "
      "escolha «Publicar»; caso contrário, «Descartar».",
      "С вашего адреса пришёл ответ на запрос о {product} («{subject}»), но ваш почтовый сервис не смог "
      "подтвердить, что его отправили вы. Он не опубликован. Если это вы, откройте запрос и нажмите "
      "«Опубликовать»; если нет — «Отклонить».",
      "来自您地址的一封关于 {product} 询价的回复（“{subject}”）已到达，但您的邮件服务商无法证明是您发送的，因此未发布。"
      "如果是您写的，请打开询价并选择“发布”；否则请选择“丢弃”。",
      "{product} の問い合わせへの返信があなたのアドレスから届きました（「{subject}」）が、メール事業者はあなたが"
      "送信したことを証明できませんでした。投稿されていません。ご自身で書いた場合は問い合わせを開いて「投稿」を、"
      "そうでなければ「破棄」を選んでください。"}},
    // --- the sign-in link asked for from a scoped session (notify_sign_in_link)
    {"subject_sign_in",
     {"Your sign-in link to Parley", "Su enlace de acceso a Parley", "Votre lien de connexion à Parley",
      "Ihr Anmeldelink für Parley", "Il suo link di accesso a Parley", "A sua ligação de acesso à Parley",
      "Ваша ссылка для входа в Parley", "您的 Parley 登录链接", "Parley へのログインリンク"}},
    {"intro_sign_in",
     {"Hello {name}, you asked for a sign-in link to your whole Parley account.",
      "Hola, {name}: ha pedido un enlace de acceso a toda su cuenta de Parley.",
      "Bonjour {name}, vous avez demandé un lien de connexion à tout votre compte Parley.",
      "Hallo {name}, Sie haben einen Anmeldelink für Ihr gesamtes Parley-Konto angefordert.",
      "Buongiorno {name}, ha chiesto un link di accesso a tutto il suo account Parley.",
      "Olá {name}, pediu uma ligação de acesso a toda a sua conta Parley.",
      "Здравствуйте, {name}! Вы запросили ссылку для входа во всю учётную запись Parley.",
      "{name}，您好：您申请了登录整个 Parley 账户的链接。",
      "{name} 様、Parley アカウント全体へのログインリンクのご依頼を受け付けました。"}},
    {"button_sign_in",
     {"Sign in to Parley", "Acceder a Parley", "Se connecter à Parley", "Bei Parley anmelden", "Accedi a Parley",
      "Entrar na Parley", "Войти в Parley", "登录 Parley", "Parley にログイン"}},
    {"note_sign_in",
     {"The link works once, within 30 minutes.", "El enlace funciona una sola vez, durante 30 minutos.",
      "Le lien fonctionne une seule fois, pendant 30 minutes.", "Der Link funktioniert einmal, 30 Minuten lang.",
      "Il link funziona una sola volta, entro 30 minuti.", "A ligação funciona uma única vez, durante 30 minutos.",
      "Ссылка действует один раз в течение 30 минут.", "该链接只能使用一次，30 分钟内有效。",
      "このリンクは 30 分以内に 1 回だけ使えます。"}},
    {"footer_sign_in",
     {"If you did not ask for this link, ignore this e-mail and do not forward it.",
      "Si no ha pedido este enlace, ignore este correo y no lo reenvíe.",
      "Si vous n'avez pas demandé ce lien, ignorez cet e-mail et ne le transférez pas.",
      "Wenn Sie diesen Link nicht angefordert haben, ignorieren Sie diese E-Mail und leiten Sie sie nicht weiter.",
      "Se non ha chiesto questo link, ignori questa e-mail e non la inoltri.",
      "Se não pediu esta ligação, ignore este e-mail e não o reencaminhe.",
      "Если вы не запрашивали эту ссылку, проигнорируйте это письмо и не пересылайте его.",
      "如果您没有申请此链接，请忽略此邮件，并且不要转发。",
      "このリンクを依頼していない場合は、このメールを無視し、転送しないでください。"}},

    // --- buttons and footer
    {"button_reply",
     {"Reply", "Responder", "Répondre", "Antworten", "Rispondi", "Responder", "Ответить", "回复", "返信する"}},
    {"button_view_quote",
     {"View quote", "Ver presupuesto", "Voir le devis", "Angebot ansehen", "Vedi preventivo", "Ver orçamento",
      "Открыть предложение", "查看报价单", "見積書を見る"}},
    {"button_open",
     {"Open the request", "Abrir la solicitud", "Ouvrir la demande", "Anfrage öffnen", "Apri la richiesta",
      "Abrir o pedido", "Открыть запрос", "打开询价", "問い合わせを開く"}},
    {"footer",
     {"You receive this e-mail because you take part in this request on Parley. Its links sign you in to this "
      "request only; please do not forward it.",
      "Recibe este correo porque participa en esta solicitud en Parley. Sus enlaces le identifican solo para esta "
      "solicitud; por favor, no lo reenvíe.",
      "Vous recevez cet e-mail car vous participez à cette demande sur Parley. Ses liens vous connectent à cette "
      "demande uniquement ; merci de ne pas le transférer.",
      "Sie erhalten diese E-Mail, weil Sie an dieser Anfrage auf Parley beteiligt sind. Ihre Links melden Sie nur "
      "für diese Anfrage an; bitte leiten Sie sie nicht weiter.",
      "Riceve questa e-mail perché partecipa a questa richiesta su Parley. I suoi link le danno accesso solo a "
      "questa richiesta; per favore non la inoltri.",
      "Recebe este e-mail porque participa neste pedido na Parley. As suas ligações dão acesso apenas a este "
      "pedido; por favor, não o reencaminhe.",
      "Вы получили это письмо, потому что участвуете в этом запросе на Parley. Ссылки в нём открывают только этот "
      "запрос; пожалуйста, не пересылайте его.",
      "您收到此邮件是因为您参与了 Parley 上的这份询价。邮件中的链接仅能登录到此询价，请勿转发。",
      "このメールは、Parley でこの問い合わせに参加しているためお送りしています。リンクはこの問い合わせ専用の"
      "ログインです。転送しないでください。"}},
};

}  // namespace

std::string mail_language(std::string_view tag) { return locale::base_language(tag); }

std::string mail_text(std::string_view language, std::string_view id) {
    const size_t col = locale::language_index(language);
    for (const auto& e : kTexts)
        if (id == e.id) return e.text[col] ? e.text[col] : e.text[0];
    return "";
}

std::vector<std::string> mail_text_ids() {
    std::vector<std::string> out;
    for (const auto& e : kTexts) out.push_back(e.id);
    return out;
}

const char* mail_text_or_null(std::string_view language, std::string_view id) {
    const size_t col = locale::language_index(language);
    for (const auto& e : kTexts)
        if (id == e.id) return e.text[col];
    return nullptr;
}

std::string mail_fill(std::string text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        size_t open = text.find('{', i);
        size_t close = open == std::string::npos ? std::string::npos : text.find('}', open);
        if (close == std::string::npos) break;
        out.append(text, i, open - i);
        std::string_view name(text.data() + open + 1, close - open - 1);
        const std::string* value = nullptr;
        for (const auto& [k, v] : values)
            if (k == name) value = &v;
        if (value) out += *value;
        else out.append(text, open, close - open + 1);
        i = close + 1;
    }
    out.append(text, i, std::string::npos);
    return out;
}

std::string mail_t(std::string_view language, std::string_view id,
                   std::initializer_list<std::pair<std::string_view, std::string>> values) {
    return mail_fill(mail_text(language, id), values);
}

}  // namespace parley::server
