// UI strings of inbox pages, inbox search and thread pages, in the nine languages.
// Same rules as i18n_strings.cpp: English is the key, a missing entry falls back to English.
#include <utility>
#include <vector>

namespace parley::i18n {

struct Entry { const char* en; const char* text; };
using Tables = std::vector<std::pair<const char*, std::vector<Entry>>>;

const std::vector<const char*>& english_keys_pages() {
    static const std::vector<const char*> k = {
        // Inbox search and pages (ui_inbox.cpp)
        "Search requests", "Clear search", "Unread", "No requests match “{0}”", "No unread requests.",
        "No requests here.", "Searching…", "Requests found: {0}", "Loading more requests…", "More requests did not load: {0}", "Load more",
        // Thread pages (ui_history.cpp)
        "Loading older messages…", "Older messages did not load: {0}", "Load older messages",
        // A jump's gap (ui_history.cpp)
        "Loading messages…", "Messages did not load: {0}", "Load messages",
        // Scoped sessions: a notification's sign-in link opens one request (ui.cpp)
        "Signed in for this request only", "Send me a full sign-in link", "Sending the link…", "Link sent to {0}",
        // The inbox's export (ui_inbox.cpp)
        "Export", "Export the list"};
    return k;
}

const Tables& tables_pages() {
    static const Tables t = {
        {"es", {
            {"Search requests", "Buscar solicitudes"}, {"Clear search", "Borrar la búsqueda"}, {"Unread", "No leídas"},
            {"No requests match “{0}”", "Ninguna solicitud coincide con «{0}»"},
            {"No unread requests.", "No hay solicitudes sin leer."}, {"No requests here.", "No hay solicitudes aquí."},
            {"Searching…", "Buscando…"}, {"Requests found: {0}", "Solicitudes encontradas: {0}"}, {"Loading more requests…", "Cargando más solicitudes…"},
            {"More requests did not load: {0}", "No se cargaron más solicitudes: {0}"}, {"Load more", "Cargar más"},
            {"Loading older messages…", "Cargando mensajes anteriores…"},
            {"Older messages did not load: {0}", "No se cargaron los mensajes anteriores: {0}"},
            {"Load older messages", "Cargar mensajes anteriores"},
            {"Loading messages…", "Cargando mensajes…"}, {"Messages did not load: {0}", "No se cargaron los mensajes: {0}"},
            {"Load messages", "Cargar mensajes"},
            {"Signed in for this request only", "Sesión abierta solo para esta solicitud"},
            {"Send me a full sign-in link", "Enviarme un enlace de acceso completo"},
            {"Sending the link…", "Enviando el enlace…"},
            {"Link sent to {0}", "Enlace enviado a {0}"},
            {"Export", "Exportar"}, {"Export the list", "Exportar la lista"},
        }},
        {"fr", {
            {"Search requests", "Rechercher des demandes"}, {"Clear search", "Effacer la recherche"}, {"Unread", "Non lues"},
            {"No requests match “{0}”", "Aucune demande ne correspond à « {0} »"},
            {"No unread requests.", "Aucune demande non lue."}, {"No requests here.", "Aucune demande ici."},
            {"Searching…", "Recherche…"}, {"Requests found: {0}", "Demandes trouvées : {0}"}, {"Loading more requests…", "Chargement d'autres demandes…"},
            {"More requests did not load: {0}", "Les demandes suivantes n'ont pas été chargées : {0}"},
            {"Load more", "Charger la suite"},
            {"Loading older messages…", "Chargement des messages précédents…"},
            {"Older messages did not load: {0}", "Les messages précédents n'ont pas été chargés : {0}"},
            {"Load older messages", "Charger les messages précédents"},
            {"Loading messages…", "Chargement des messages…"}, {"Messages did not load: {0}", "Les messages n'ont pas été chargés : {0}"},
            {"Load messages", "Charger les messages"},
            {"Signed in for this request only", "Connecté pour cette demande uniquement"},
            {"Send me a full sign-in link", "M'envoyer un lien de connexion complet"},
            {"Sending the link…", "Envoi du lien…"},
            {"Link sent to {0}", "Lien envoyé à {0}"},
            {"Export", "Exporter"}, {"Export the list", "Exporter la liste"},
        }},
        {"de", {
            {"Search requests", "Anfragen durchsuchen"}, {"Clear search", "Suche löschen"}, {"Unread", "Ungelesen"},
            {"No requests match “{0}”", "Keine Anfrage passt zu „{0}“"},
            {"No unread requests.", "Keine ungelesenen Anfragen."}, {"No requests here.", "Hier gibt es keine Anfragen."},
            {"Searching…", "Suche läuft…"}, {"Requests found: {0}", "Gefundene Anfragen: {0}"}, {"Loading more requests…", "Weitere Anfragen werden geladen…"},
            {"More requests did not load: {0}", "Weitere Anfragen wurden nicht geladen: {0}"},
            {"Load more", "Mehr laden"},
            {"Loading older messages…", "Ältere Nachrichten werden geladen…"},
            {"Older messages did not load: {0}", "Ältere Nachrichten wurden nicht geladen: {0}"},
            {"Load older messages", "Ältere Nachrichten laden"},
            {"Loading messages…", "Nachrichten werden geladen…"}, {"Messages did not load: {0}", "Nachrichten wurden nicht geladen: {0}"},
            {"Load messages", "Nachrichten laden"},
            {"Signed in for this request only", "Nur für diese Anfrage angemeldet"},
            {"Send me a full sign-in link", "Vollständigen Anmeldelink senden"},
            {"Sending the link…", "Link wird gesendet…"},
            {"Link sent to {0}", "Link gesendet an {0}"},
            {"Export", "Exportieren"}, {"Export the list", "Liste exportieren"},
        }},
        {"it", {
            {"Search requests", "Cerca nelle richieste"}, {"Clear search", "Cancella la ricerca"}, {"Unread", "Non lette"},
            {"No requests match “{0}”", "Nessuna richiesta corrisponde a «{0}»"},
            {"No unread requests.", "Nessuna richiesta non letta."}, {"No requests here.", "Nessuna richiesta qui."},
            {"Searching…", "Ricerca in corso…"}, {"Requests found: {0}", "Richieste trovate: {0}"}, {"Loading more requests…", "Caricamento di altre richieste…"},
            {"More requests did not load: {0}", "Altre richieste non caricate: {0}"}, {"Load more", "Carica altre"},
            {"Loading older messages…", "Caricamento dei messaggi precedenti…"},
            {"Older messages did not load: {0}", "Messaggi precedenti non caricati: {0}"},
            {"Load older messages", "Carica i messaggi precedenti"},
            {"Loading messages…", "Caricamento dei messaggi…"}, {"Messages did not load: {0}", "I messaggi non sono stati caricati: {0}"},
            {"Load messages", "Carica i messaggi"},
            {"Signed in for this request only", "Accesso solo per questa richiesta"},
            {"Send me a full sign-in link", "Inviami un link di accesso completo"},
            {"Sending the link…", "Invio del link…"},
            {"Link sent to {0}", "Link inviato a {0}"},
            {"Export", "Esporta"}, {"Export the list", "Esporta l'elenco"},
        }},
        {"pt", {
            {"Search requests", "Pesquisar pedidos"}, {"Clear search", "Limpar a pesquisa"}, {"Unread", "Não lidos"},
            {"No requests match “{0}”", "Nenhum pedido corresponde a «{0}»"},
            {"No unread requests.", "Não há pedidos por ler."}, {"No requests here.", "Não há pedidos aqui."},
            {"Searching…", "A pesquisar…"}, {"Requests found: {0}", "Pedidos encontrados: {0}"}, {"Loading more requests…", "A carregar mais pedidos…"},
            {"More requests did not load: {0}", "Não foi possível carregar mais pedidos: {0}"},
            {"Load more", "Carregar mais"},
            {"Loading older messages…", "A carregar mensagens anteriores…"},
            {"Older messages did not load: {0}", "Não foi possível carregar as mensagens anteriores: {0}"},
            {"Load older messages", "Carregar mensagens anteriores"},
            {"Loading messages…", "A carregar mensagens…"}, {"Messages did not load: {0}", "As mensagens não foram carregadas: {0}"},
            {"Load messages", "Carregar mensagens"},
            {"Signed in for this request only", "Sessão aberta apenas para este pedido"},
            {"Send me a full sign-in link", "Enviar-me uma ligação de acesso completa"},
            {"Sending the link…", "A enviar a ligação…"},
            {"Link sent to {0}", "Ligação enviada para {0}"},
            {"Export", "Exportar"}, {"Export the list", "Exportar a lista"},
        }},
        {"ru", {
            {"Search requests", "Поиск запросов"}, {"Clear search", "Очистить поиск"}, {"Unread", "Непрочитанные"},
            {"No requests match “{0}”", "Нет запросов по запросу «{0}»"},
            {"No unread requests.", "Нет непрочитанных запросов."}, {"No requests here.", "Здесь нет запросов."},
            {"Searching…", "Поиск…"}, {"Requests found: {0}", "Найдено запросов: {0}"}, {"Loading more requests…", "Загрузка других запросов…"},
            {"More requests did not load: {0}", "Не удалось загрузить другие запросы: {0}"},
            {"Load more", "Загрузить ещё"},
            {"Loading older messages…", "Загрузка более ранних сообщений…"},
            {"Older messages did not load: {0}", "Не удалось загрузить более ранние сообщения: {0}"},
            {"Load older messages", "Загрузить более ранние сообщения"},
            {"Loading messages…", "Загрузка сообщений…"}, {"Messages did not load: {0}", "Сообщения не загрузились: {0}"},
            {"Load messages", "Загрузить сообщения"},
            {"Signed in for this request only", "Вход только для этого запроса"},
            {"Send me a full sign-in link", "Прислать ссылку для полного входа"},
            {"Sending the link…", "Отправляем ссылку…"},
            {"Link sent to {0}", "Ссылка отправлена на {0}"},
            {"Export", "Экспорт"}, {"Export the list", "Экспортировать список"},
        }},
        {"zh", {
            {"Search requests", "搜索询价"}, {"Clear search", "清除搜索"}, {"Unread", "未读"},
            {"No requests match “{0}”", "没有与“{0}”匹配的询价"},
            {"No unread requests.", "没有未读询价。"}, {"No requests here.", "这里没有询价。"},
            {"Searching…", "正在搜索…"}, {"Requests found: {0}", "找到的询价：{0}"}, {"Loading more requests…", "正在加载更多询价…"},
            {"More requests did not load: {0}", "更多询价未能加载：{0}"}, {"Load more", "加载更多"},
            {"Loading older messages…", "正在加载更早的消息…"},
            {"Older messages did not load: {0}", "更早的消息未能加载：{0}"},
            {"Load older messages", "加载更早的消息"},
            {"Loading messages…", "正在加载消息…"}, {"Messages did not load: {0}", "消息未能加载：{0}"},
            {"Load messages", "加载消息"},
            {"Signed in for this request only", "仅登录此询价"},
            {"Send me a full sign-in link", "给我发送完整登录链接"},
            {"Sending the link…", "正在发送链接…"},
            {"Link sent to {0}", "链接已发送至 {0}"},
            {"Export", "导出"}, {"Export the list", "导出列表"},
        }},
        {"ja", {
            {"Search requests", "引き合いを検索"}, {"Clear search", "検索をクリア"}, {"Unread", "未読"},
            {"No requests match “{0}”", "「{0}」に一致する引き合いはありません"},
            {"No unread requests.", "未読の引き合いはありません。"}, {"No requests here.", "ここには引き合いがありません。"},
            {"Searching…", "検索中…"}, {"Requests found: {0}", "見つかった引き合い：{0}"}, {"Loading more requests…", "さらに引き合いを読み込み中…"},
            {"More requests did not load: {0}", "引き合いを読み込めませんでした：{0}"}, {"Load more", "さらに読み込む"},
            {"Loading older messages…", "以前のメッセージを読み込み中…"},
            {"Older messages did not load: {0}", "以前のメッセージを読み込めませんでした：{0}"},
            {"Load older messages", "以前のメッセージを読み込む"},
            {"Loading messages…", "メッセージを読み込んでいます…"}, {"Messages did not load: {0}", "メッセージを読み込めませんでした：{0}"},
            {"Load messages", "メッセージを読み込む"},
            {"Signed in for this request only", "この問い合わせのみにログイン中"},
            {"Send me a full sign-in link", "完全なログインリンクを送信"},
            {"Sending the link…", "リンクを送信中…"},
            {"Link sent to {0}", "{0} にリンクを送信しました"},
            {"Export", "エクスポート"}, {"Export the list", "一覧をエクスポート"},
        }},
    };
    return t;
}

}  // namespace parley::i18n
