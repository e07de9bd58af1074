// The visibility matrix's table (matrix.test.mjs): who may see and do what on the
// scenario's request, written from the spec (FEATURES.md "Visibility rights",
// docs/API.md, server/domain/policy.h) — never computed from the server's answers.

const Y = true; const _ = false;
export const ROWS = [
  ['buyer', 'the buyer'],
  ['maker', 'manufacturer'],
  ['area', 'area manager (forwarded to him)'],
  ['distA', 'distributor A (routed)'],
  ['distB', 'distributor B (another zone)'],
  ['ccM', 'CC of the manufacturer'],
  ['ccAM', 'CC of the area manager'],
  ['ccDA', 'CC of distributor A'],
  ['fwdM', 'forward target (address) of the manufacturer'],
  ['fwdAM', 'forward target (address) of the area manager'],
  ['fwdDA', 'forward target (address) of distributor A'],
  ['autoCC', 'auto-CC of the manufacturer'],
  ['stranger', 'unrelated seller (guest of another request)'],
  ['otherBuyer', 'another buyer'],
  ['signedOut', 'signed out'],
];

// What each role sees. inbox: the request is listed (401: signed out). get: GET /requests/{id}.
// msgs*: that conversation's messages are in the detail. phone: the number is shown
// without asking (the buyer's own; Marta revealed it in the scenario). deliv*: the
// deliveries (e-mail status per recipient) of that party's answer are in the detail.
export const SEE_COLS = ['inbox', 'get', 'msgs M', 'msgs AM', 'msgs DA', 'phone shown', 'deliv M', 'deliv AM', 'deliv DA'];
// clang-format-like alignment: one row per role.
export const SEE = {
  //          inbox  get  msgsM msgsAM msgsDA phone dlvM dlvAM dlvDA
  buyer:      [Y,    200, Y,    Y,     Y,     Y,    _,   _,    _],
  maker:      [Y,    200, Y,    _,     _,     Y,    Y,   _,    _],
  area:       [Y,    200, _,    Y,     _,     _,    _,   Y,    _],
  distA:      [Y,    200, _,    _,     Y,     _,    _,   _,    Y],
  distB:      [_,    404, _,    _,     _,     _,    _,   _,    _],
  ccM:        [Y,    200, Y,    _,     _,     _,    _,   _,    _],
  ccAM:       [Y,    200, _,    Y,     _,     _,    _,   _,    _],
  ccDA:       [Y,    200, _,    _,     Y,     _,    _,   _,    _],
  fwdM:       [Y,    200, Y,    _,     _,     _,    _,   _,    _],
  fwdAM:      [Y,    200, _,    Y,     _,     _,    _,   _,    _],
  fwdDA:      [Y,    200, _,    _,     Y,     _,    _,   _,    _],
  autoCC:     [Y,    200, Y,    _,     _,     _,    _,   _,    _],
  stranger:   [_,    404, _,    _,     _,     _,    _,   _,    _],
  otherBuyer: [_,    404, _,    _,     _,     _,    _,   _,    _],
  signedOut:  [401,  401, _,    _,     _,     _,    _,   _,    _],
};

// Which history events each role gets (in the detail and through GET /events).
// Audiences (docs/API.md, refined by server/domain/policy.h): conversation events (message,
// read, declined, rated) → that conversation's buyer and seller side; seller-side
// conversation events (phone_revealed, cc_added, forwarded to an address) → that
// conversation's seller side; milestones (routed, forwarded to a network member,
// answered, sale_closed) → that conversation's seller side and the manufacturer's
// conversation; milestones of the manufacturer's conversation → every seller-side
// participant. Distributors never see each other's; the buyer never sees seller-side ones.
// undeliv*: "delivery_failed" of that party's answer to the buyer → the seller
// side of that conversation only (never the buyer, whose mailbox it is about).
export const EVENT_COLS = [
  'routed→A', 'auto-CC', 'forwarded→AM', 'cc by M', 'fwd by M', 'cc by AM', 'fwd by AM', 'cc by A', 'fwd by A',
  'answered M', 'answered AM', 'answered DA', 'phone by M', 'read M', 'read DA', 'closed AM', 'declined DA', 'rated M',
  'quote M', 'quote AM', 'quote DA', 'undeliv M', 'undeliv AM', 'undeliv DA',
];
export const EVENTS = {
  //          rtd  auto fwAM ccM  fwM  ccAM fwAM ccA  fwA  ansM ansAM ansDA phon rdM  rdDA clAM dcDA rtM  qM   qAM  qDA  udM  udAM udDA
  buyer:      [_,  _,   _,   _,   _,   _,   _,   _,   _,   _,   _,    _,    _,   Y,   Y,   _,   Y,   Y,   Y,   Y,   Y,   _,   _,   _],
  maker:      [Y,  Y,   Y,   Y,   Y,   _,   _,   _,   _,   Y,   Y,    Y,    Y,   Y,   _,   Y,   _,   Y,   Y,   _,   _,   Y,   _,   _],
  area:       [_,  _,   Y,   _,   _,   Y,   Y,   _,   _,   Y,   Y,    _,    _,   _,   _,   Y,   _,   _,   _,   Y,   _,   _,   Y,   _],
  distA:      [Y,  _,   _,   _,   _,   _,   _,   Y,   Y,   Y,   _,    Y,    _,   _,   Y,   _,   Y,   _,   _,   _,   Y,   _,   _,   Y],
  distB:      [_,  _,   _,   _,   _,   _,   _,   _,   _,   _,   _,    _,    _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _],
  ccM:        [Y,  Y,   Y,   Y,   Y,   _,   _,   _,   _,   Y,   Y,    Y,    Y,   Y,   _,   Y,   _,   Y,   Y,   _,   _,   Y,   _,   _],
  ccAM:       [_,  _,   Y,   _,   _,   Y,   Y,   _,   _,   Y,   Y,    _,    _,   _,   _,   Y,   _,   _,   _,   Y,   _,   _,   Y,   _],
  ccDA:       [Y,  _,   _,   _,   _,   _,   _,   Y,   Y,   Y,   _,    Y,    _,   _,   Y,   _,   Y,   _,   _,   _,   Y,   _,   _,   Y],
  fwdM:       [Y,  Y,   Y,   Y,   Y,   _,   _,   _,   _,   Y,   Y,    Y,    Y,   Y,   _,   Y,   _,   Y,   Y,   _,   _,   Y,   _,   _],
  fwdAM:      [_,  _,   Y,   _,   _,   Y,   Y,   _,   _,   Y,   Y,    _,    _,   _,   _,   Y,   _,   _,   _,   Y,   _,   _,   Y,   _],
  fwdDA:      [Y,  _,   _,   _,   _,   _,   _,   Y,   Y,   Y,   _,    Y,    _,   _,   Y,   _,   Y,   _,   _,   _,   Y,   _,   _,   Y],
  autoCC:     [Y,  Y,   Y,   Y,   Y,   _,   _,   _,   _,   Y,   Y,    Y,    Y,   Y,   _,   Y,   _,   Y,   Y,   _,   _,   Y,   _,   _],
  stranger:   [_,  _,   _,   _,   _,   _,   _,   _,   _,   _,   _,    _,    _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _],
  otherBuyer: [_,  _,   _,   _,   _,   _,   _,   _,   _,   _,   _,    _,    _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _],
  signedOut:  [_,  _,   _,   _,   _,   _,   _,   _,   _,   _,   _,    _,    _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _,   _],
};

// Actions on the shared scenario (HTTP status). "→X": with conversation_id of X.
// retry X: POST /deliveries/{id}/retry of the failed mail of X's answer to the buyer.
export const ACTION_COLS = ['phone', 'cc', 'forward', 'reply', 'reply→M', 'reply→AM', 'reply→DA', 'cc→DA', 'read', 'read→DA',
  'retry M', 'retry DA'];
export const ACTIONS = {
  //          phone cc   fwd  reply r→M  r→AM r→DA cc→DA read rd→DA rtyM rtyDA
  buyer:      [403, 403, 403, 201, 201, 201, 201, 403,  204, 204,  404, 404],
  maker:      [200, 200, 200, 201, 201, 404, 404, 404,  204, 404,  200, 404],
  area:       [200, 200, 200, 201, 404, 201, 404, 404,  204, 404,  404, 404],
  distA:      [200, 200, 200, 201, 404, 404, 201, 200,  204, 204,  404, 200],
  distB:      [404, 404, 404, 404, 404, 404, 404, 404,  404, 404,  404, 404],
  ccM:        [200, 200, 200, 201, 201, 404, 404, 404,  204, 404,  404, 404],
  ccAM:       [200, 200, 200, 201, 404, 201, 404, 404,  204, 404,  404, 404],
  ccDA:       [200, 200, 200, 201, 404, 404, 201, 200,  204, 204,  404, 404],
  fwdM:       [200, 200, 200, 201, 201, 404, 404, 404,  204, 404,  404, 404],
  fwdAM:      [200, 200, 200, 201, 404, 201, 404, 404,  204, 404,  404, 404],
  fwdDA:      [200, 200, 200, 201, 404, 404, 201, 200,  204, 204,  404, 404],
  autoCC:     [200, 200, 200, 201, 201, 404, 404, 404,  204, 404,  404, 404],
  stranger:   [404, 404, 404, 404, 404, 404, 404, 404,  404, 404,  404, 404],
  otherBuyer: [404, 404, 404, 404, 404, 404, 404, 404,  404, 404,  404, 404],
  signedOut:  [401, 401, 401, 401, 401, 401, 401, 401,  401, 401,  401, 401],
};

// Destructive actions, each on a fresh scenario (HTTP status).
export const DESTRUCTIVE_COLS = ['decline', 'close', 'rate', 'decline→DA', 'rate→DA'];
export const DESTRUCTIVE = {
  //          decl close rate dc→DA rt→DA
  buyer:      [403, 403, 200, 403,  200],
  maker:      [200, 200, 403, 404,  404],
  area:       [200, 200, 403, 404,  404],
  distA:      [200, 200, 403, 200,  403],
  distB:      [404, 404, 404, 404,  404],
  ccM:        [200, 200, 403, 404,  404],
  ccAM:       [200, 200, 403, 404,  404],
  ccDA:       [200, 200, 403, 200,  403],
  fwdM:       [200, 200, 403, 404,  404],
  fwdAM:      [200, 200, 403, 404,  404],
  fwdDA:      [200, 200, 403, 200,  403],
  autoCC:     [200, 200, 403, 404,  404],
  stranger:   [404, 404, 404, 404,  404],
  otherBuyer: [404, 404, 404, 404,  404],
  signedOut:  [401, 401, 401, 401,  401],
};

// Documents and quotes, on the shared scenario: each party sent a quote in its
// conversation, and M and DA each posted a PDF document (DA's: its quote's PDF).
// GET a quote / its PDF / a document / its page previews; the buyer's "opened" mark;
// a new quote in M; paying DA's quote (not accepted yet: 409 for the buyer).
export const DOC_COLS = ['quote M', 'quote AM', 'quote DA', 'pdf DA', 'doc M', 'doc DA', 'pages DA', 'open DA', 'quote→M', 'pay DA'];
export const DOCS = {
  //          qM   qAM  qDA  pdfDA docM docDA pgDA opDA q→M  payDA
  buyer:      [200, 200, 200, 200,  200, 200,  200, 204, 403, 409],
  maker:      [200, 404, 404, 404,  200, 404,  404, 404, 201, 404],
  area:       [404, 200, 404, 404,  404, 404,  404, 404, 404, 404],
  distA:      [404, 404, 200, 200,  404, 200,  200, 403, 404, 403],
  distB:      [404, 404, 404, 404,  404, 404,  404, 404, 404, 404],
  ccM:        [200, 404, 404, 404,  200, 404,  404, 404, 201, 404],
  ccAM:       [404, 200, 404, 404,  404, 404,  404, 404, 404, 404],
  ccDA:       [404, 404, 200, 200,  404, 200,  200, 403, 404, 403],
  fwdM:       [200, 404, 404, 404,  200, 404,  404, 404, 201, 404],
  fwdAM:      [404, 200, 404, 404,  404, 404,  404, 404, 404, 404],
  fwdDA:      [404, 404, 200, 200,  404, 200,  200, 403, 404, 403],
  autoCC:     [200, 404, 404, 404,  200, 404,  404, 404, 201, 404],
  stranger:   [404, 404, 404, 404,  404, 404,  404, 404, 404, 404],
  otherBuyer: [404, 404, 404, 404,  404, 404,  404, 404, 404, 404],
  signedOut:  [401, 401, 401, 401,  401, 401,  401, 401, 401, 401],
};

// Search (GET /requests?q=): the request found by its product, and by each party's
// answer — a word that sits in a conversation is found only by who may read it there.
export const SEARCH_COLS = ['search request', 'search M', 'search AM', 'search DA'];
export const SEARCH = {
  //          req  M    AM   DA
  buyer:      [Y,  Y,   Y,   Y],
  maker:      [Y,  Y,   _,   _],
  area:       [Y,  _,   Y,   _],
  distA:      [Y,  _,   _,   Y],
  distB:      [_,  _,   _,   _],
  ccM:        [Y,  Y,   _,   _],
  ccAM:       [Y,  _,   Y,   _],
  ccDA:       [Y,  _,   _,   Y],
  fwdM:       [Y,  Y,   _,   _],
  fwdAM:      [Y,  _,   Y,   _],
  fwdDA:      [Y,  _,   _,   Y],
  autoCC:     [Y,  Y,   _,   _],
  stranger:   [_,  _,   _,   _],
  otherBuyer: [_,  _,   _,   _],
  signedOut:  [401, 401, 401, 401],
};

// A jump window (GET /history?around=) to each answer: found exactly where that
// conversation's messages are visible (the SEE table's msgs columns).
export const JUMP_COLS = ['jump M', 'jump AM', 'jump DA'];
export const ALL_COLS = [...SEE_COLS, ...EVENT_COLS, ...ACTION_COLS, ...DESTRUCTIVE_COLS, ...DOC_COLS, ...SEARCH_COLS, ...JUMP_COLS];
