// Test helper: a local stand-in for Odoo's external JSON-RPC API (POST /jsonrpc), the
// part Parley's CRM client speaks: common.login/authenticate, and object.execute_kw on
// res.country, crm.stage (read only) and crm.lead (create, write, unlink, search,
// search_read, search_count, read, check_access_rights). Records live in memory.
// Field names, keyword arguments and domains are checked against real crm.lead fields
// and answered with Odoo's errors, so a typo in the client fails a test.
//
// Test controls, also over HTTP for the C++ tests (POST /standin/control, JSON):
// failNext(n, status) — the next n requests answer that HTTP status unprocessed;
// loseNextCreate(n) — the next n crm.lead creates are made but the connection is
// closed without an answer (an answer lost on the way back).
import http from 'node:http';

const UID = 2;

// Real crm.lead fields (a subset): anything else is a typo.
const LEAD_FIELDS = new Set([
  'id', 'name', 'active', 'type', 'partner_name', 'contact_name', 'email_from', 'email_cc', 'phone', 'mobile',
  'website', 'function', 'street', 'street2', 'city', 'zip', 'state_id', 'country_id', 'description',
  'expected_revenue', 'prorated_revenue', 'probability', 'stage_id', 'user_id', 'team_id', 'partner_id',
  'company_id', 'priority', 'tag_ids', 'referred', 'lost_reason_id', 'date_deadline', 'date_closed',
  'source_id', 'medium_id', 'campaign_id', 'lang_id', 'title', 'create_date', 'write_date', 'display_name',
]);
const READ_ONLY = new Set(['id', 'create_date', 'write_date', 'display_name']);
const MANY2ONE = { country_id: 'res.country', stage_id: 'crm.stage' };
const CHAR = ['name', 'partner_name', 'contact_name', 'email_from', 'phone', 'referred', 'description', 'type'];

const COUNTRIES = [
  ['DE', 'Germany', 57], ['AT', 'Austria', 13], ['FR', 'France', 75], ['ES', 'Spain', 68], ['IT', 'Italy', 109],
  ['US', 'United States', 233], ['IN', 'India', 104], ['CN', 'China', 48], ['JP', 'Japan', 113],
  ['MA', 'Morocco', 147], ['AR', 'Argentina', 10], ['PT', 'Portugal', 183], ['RU', 'Russian Federation', 190],
  ['GB', 'United Kingdom', 231],
].map(([code, name, id]) => ({ id, code, name }));
const STAGES = [
  { id: 1, name: 'New', sequence: 1, is_won: false }, { id: 2, name: 'Qualified', sequence: 2, is_won: false },
  { id: 3, name: 'Proposition', sequence: 3, is_won: false }, { id: 4, name: 'Won', sequence: 70, is_won: true },
];
const MODEL_FIELDS = {
  'crm.lead': LEAD_FIELDS,
  'res.country': new Set(['id', 'code', 'name', 'display_name']),
  'crm.stage': new Set(['id', 'name', 'sequence', 'is_won', 'display_name']),
};
const KWARGS = {
  search_read: ['domain', 'fields', 'offset', 'limit', 'order', 'context'],
  search: ['offset', 'limit', 'order', 'context'],
  search_count: ['limit', 'context'],
  read: ['fields', 'load', 'context'],
  create: ['context'], write: ['context'], unlink: ['context'],
  check_access_rights: ['raise_exception', 'context'],
};

class OdooError extends Error {
  constructor(name, message) { super(message); this.odooName = name; }
}
const fail = (name, message) => { throw new OdooError(name, message); };
const valueError = (message) => fail('builtins.ValueError', message);

export async function startOdooStandin({ database = 'parley', login = 'admin', apiKey = 'admin' } = {}) {
  const records = { 'crm.lead': new Map(), 'res.country': new Map(), 'crm.stage': new Map() };
  for (const c of COUNTRIES) records['res.country'].set(c.id, { ...c });
  for (const s of STAGES) records['crm.stage'].set(s.id, { ...s });
  const calls = [];
  const controls = { failCount: 0, failStatus: 500, loseCreates: 0 };
  let nextLeadId = 1;

  const displayName = (model, id) => records[model].get(id)?.name ?? false;

  function checkField(model, field) {
    if (!MODEL_FIELDS[model].has(field)) valueError(`Invalid field '${field}' on model '${model}'`);
  }

  // A domain in Odoo's prefix notation: leaves [field, op, value], '&' (implicit), '|', '!'.
  function matcher(model, domain) {
    if (!Array.isArray(domain)) valueError(`Invalid domain: ${JSON.stringify(domain)}`);
    const leaf = (rec, term) => {
      if (!Array.isArray(term) || term.length !== 3) valueError(`Invalid leaf ${JSON.stringify(term)}`);
      const [field, op, value] = term;
      checkField(model, field);
      const v = rec[field] ?? false;
      switch (op) {
        case '=': return v === value;
        case '!=': return v !== value;
        case 'in': return Array.isArray(value) && value.includes(v);
        case 'not in': return Array.isArray(value) && !value.includes(v);
        case 'ilike': return typeof v === 'string' && v.toLowerCase().includes(String(value).toLowerCase());
        case '=ilike': return typeof v === 'string' && v.toLowerCase() === String(value).toLowerCase();
        default: return valueError(`Invalid leaf operator ${JSON.stringify(op)}`);
      }
    };
    return (rec) => {
      let i = 0;
      const next = () => {
        if (i >= domain.length) valueError('Invalid domain: an operator lacks its operands');
        const t = domain[i++];
        if (t === '|') { const a = next(); const b = next(); return a || b; }
        if (t === '&') { const a = next(); const b = next(); return a && b; }
        if (t === '!') return !next();
        return leaf(rec, t);
      };
      let ok = true;
      while (i < domain.length) { const m = next(); ok = ok && m; }
      return ok;
    };
  }

  function searchIds(model, domain = [], { offset = 0, limit = 0, order = 'id', context = {} } = {}) {
    const match = matcher(model, domain);
    const mentionsActive = JSON.stringify(domain).includes('"active"');
    let rows = [...records[model].values()].filter((r) => match(r));
    if (model === 'crm.lead' && context.active_test !== false && !mentionsActive) rows = rows.filter((r) => r.active);
    const [key, dir] = String(order || 'id').trim().split(/\s+/);
    checkField(model, key);
    rows.sort((a, b) => (a[key] > b[key] ? 1 : a[key] < b[key] ? -1 : 0) * (dir === 'desc' ? -1 : 1));
    rows = rows.slice(offset, limit ? offset + limit : undefined);
    return rows.map((r) => r.id);
  }

  function readRows(model, ids, fields) {
    const wanted = fields && fields.length ? fields : [...MODEL_FIELDS[model]];
    wanted.forEach((f) => checkField(model, f));
    return ids.map((id) => {
      const rec = records[model].get(id) || fail('odoo.exceptions.MissingError',
        `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: ${UID})`);
      const row = { id };
      for (const f of wanted) {
        const v = f === 'display_name' ? rec.name : rec[f];
        row[f] = MANY2ONE[f] && v ? [v, displayName(MANY2ONE[f], v)] : v ?? false;
      }
      return row;
    });
  }

  function checkValues(vals) {
    if (!vals || typeof vals !== 'object' || Array.isArray(vals)) valueError('Expected a dictionary of values');
    for (const [k, v] of Object.entries(vals)) {
      if (!LEAD_FIELDS.has(k) || READ_ONLY.has(k))
        fail('odoo.exceptions.ValidationError', `Invalid field '${k}' on model 'crm.lead'`);
      if (MANY2ONE[k] && v !== false && !(Number.isInteger(v) && records[MANY2ONE[k]].has(v)))
        fail('odoo.exceptions.ValidationError', `The value for '${k}' does not exist: ${JSON.stringify(v)}`);
      if (CHAR.includes(k) && v !== false && typeof v !== 'string')
        fail('odoo.exceptions.ValidationError', `Wrong value for crm.lead.${k}: ${JSON.stringify(v)}`);
      if (k === 'active' && typeof v !== 'boolean') fail('odoo.exceptions.ValidationError', 'active must be a boolean');
      if (k === 'expected_revenue' && typeof v !== 'number')
        fail('odoo.exceptions.ValidationError', `Wrong value for crm.lead.expected_revenue: ${JSON.stringify(v)}`);
      if (k === 'type' && !['lead', 'opportunity'].includes(v))
        fail('odoo.exceptions.ValidationError', `Wrong value for crm.lead.type: ${JSON.stringify(v)}`);
    }
  }

  function existingLeads(ids) {
    if (!Array.isArray(ids) || !ids.every(Number.isInteger)) valueError('Expected a list of ids');
    const missing = ids.filter((id) => !records['crm.lead'].has(id));
    if (missing.length) fail('odoo.exceptions.MissingError',
      `Record does not exist or has been deleted.\n(Record: crm.lead(${missing.join(', ')},), User: ${UID})`);
    return ids.map((id) => records['crm.lead'].get(id));
  }

  function execute(model, method, args, kwargs) {
    if (!records[model]) fail('builtins.KeyError', `'${model}'`);
    if (!KWARGS[method]) fail('builtins.AttributeError', `The method '${method}' does not exist on the model '${model}'`);
    for (const k of Object.keys(kwargs))
      if (!KWARGS[method].includes(k)) fail('builtins.TypeError', `${method}() got an unexpected keyword argument '${k}'`);
    const context = kwargs.context || {};
    const writes = ['create', 'write', 'unlink'].includes(method);
    if (writes && model !== 'crm.lead')
      fail('odoo.exceptions.AccessError', `You are not allowed to modify '${model}' records in this stand-in.`);
    const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
    switch (method) {
      case 'search_read': {
        const ids = searchIds(model, kwargs.domain ?? args[0] ?? [], { ...kwargs, context });
        return readRows(model, ids, kwargs.fields ?? args[1]);
      }
      case 'search': return searchIds(model, args[0] ?? [], { ...kwargs, context });
      case 'search_count': return searchIds(model, args[0] ?? [], { context }).length;
      case 'read': return readRows(model, args[0] ?? [], kwargs.fields ?? args[1]);
      case 'check_access_rights': {
        if (!['read', 'write', 'create', 'unlink'].includes(args[0])) valueError(`Invalid access mode ${args[0]}`);
        return true;
      }
      case 'create': {
        const many = Array.isArray(args[0]);
        const list = many ? args[0] : [args[0]];
        list.forEach(checkValues);
        if (list.some((v) => !v.name)) fail('odoo.exceptions.ValidationError', 'The field "Opportunity" is required.');
        const ids = list.map((vals) => {
          const id = nextLeadId++;
          records['crm.lead'].set(id, {
            active: true, type: 'lead', stage_id: 1, ...vals, id, create_date: now, write_date: now,
          });
          return id;
        });
        return many ? ids : ids[0];
      }
      case 'write': {
        const leads = existingLeads(args[0]);
        checkValues(args[1]);
        for (const l of leads) Object.assign(l, args[1], { write_date: now });
        return true;
      }
      case 'unlink': {
        for (const l of existingLeads(args[0])) records['crm.lead'].delete(l.id);
        return true;
      }
      default: return fail('builtins.AttributeError', `The method '${method}' is not served by this stand-in`);
    }
  }

  const authenticated = (db, user, key) => db === database && user === login && key === apiKey;

  function dispatch(params, call) {
    const { service, method, args = [] } = params || {};
    call.service = service;
    call.method = method;
    if (service === 'common' && (method === 'login' || method === 'authenticate')) {
      if (args.length !== (method === 'login' ? 3 : 4)) fail('builtins.TypeError', `${method}() takes the wrong arguments`);
      if (args[0] !== database) fail('psycopg2.OperationalError', `FATAL:  database "${args[0]}" does not exist`);
      return authenticated(args[0], args[1], args[2]) ? UID : false;
    }
    if (service === 'common' && method === 'version') return { server_version: '17.0', protocol_version: 1 };
    if (service !== 'object' || method !== 'execute_kw')
      fail('builtins.NameError', `No such method ${service}.${method} in this stand-in`);
    const [db, uid, key, model, modelMethod, margs = [], kwargs = {}] = args;
    Object.assign(call, { model, modelMethod, args: margs, kwargs });
    if (db !== database) fail('psycopg2.OperationalError', `FATAL:  database "${db}" does not exist`);
    if (uid !== UID || !authenticated(db, login, key)) fail('odoo.exceptions.AccessDenied', 'Access Denied');
    return execute(model, modelMethod, margs, kwargs);
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const send = (status, obj, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof obj === 'string' ? obj : JSON.stringify(obj));
      };
      if (req.method === 'POST' && req.url === '/standin/control') {
        const c = JSON.parse(body || '{}');
        if (c.failNext) api.failNext(c.failNext, c.status || 500);
        if (c.loseNextCreate) api.loseNextCreate(c.loseNextCreate);
        return send(200, { ok: true });
      }
      const call = { path: req.url, contentType: req.headers['content-type'], status: 200 };
      calls.push(call);
      if (controls.failCount > 0) {
        controls.failCount--;
        call.status = controls.failStatus;
        return send(controls.failStatus, `<html><body>${controls.failStatus}</body></html>`, 'text/html');
      }
      if (req.method !== 'POST' || req.url !== '/jsonrpc') {
        call.status = 404;
        return send(404, '<html><body>Not Found</body></html>', 'text/html');
      }
      if (!(req.headers['content-type'] || '').startsWith('application/json')) {
        call.status = 415;
        return send(415, '<html><body>Unsupported Media Type</body></html>', 'text/html');
      }
      let rpc;
      try { rpc = JSON.parse(body); } catch { rpc = null; }
      const id = rpc?.id ?? null;
      if (!rpc || rpc.jsonrpc !== '2.0' || rpc.method !== 'call') {
        call.error = 'invalid request';
        return send(200, { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid Request' } });
      }
      try {
        call.result = dispatch(rpc.params, call);
      } catch (e) {
        if (!(e instanceof OdooError)) throw e;
        call.error = e.odooName;
        return send(200, { jsonrpc: '2.0', id, error: { code: 200, message: 'Odoo Server Error', data: {
          name: e.odooName, debug: `Traceback (most recent call last):\n  (stand-in)\n${e.odooName}: ${e.message}\n`,
          message: e.message, arguments: [e.message], context: {} } } });
      }
      if (call.modelMethod === 'create' && call.model === 'crm.lead' && controls.loseCreates > 0) {
        controls.loseCreates--;
        call.lost = true;
        return req.socket.destroy();
      }
      send(200, { jsonrpc: '2.0', id, result: call.result });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  const api = {
    url: `http://127.0.0.1:${server.address().port}`,
    // The leads in store (copies), archived ones included.
    leads: () => [...records['crm.lead'].values()].map((l) => ({ ...l })),
    // Every request seen: { service, method, model, modelMethod, args, kwargs, status, result | error, lost }.
    calls: () => calls.slice(),
    failNext: (n, status = 500) => { controls.failCount = n; controls.failStatus = status; },
    loseNextCreate: (n = 1) => { controls.loseCreates = n; },
    countries: () => COUNTRIES.map((c) => ({ ...c })),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
  return api;
}
