// Test helper: a local stand-in for a LibreTranslate server (translation). It speaks the two
// endpoints Parley calls — GET /languages and POST /translate (JSON, "q" a string or an
// array, "source", "target", "format", "api_key") — answers with LibreTranslate's shapes and
// errors (400 unsupported pair, 403 bad key, 429 with Retry-After, 500), and records calls.
// Its "translation" is recognisable, not linguistic: the text upper-cased after the pair,
// "[de>en] HALLO".
import http from 'node:http';

// The pairs it takes: de, ru, zh, ja ↔ en, plus de ↔ es.
const LANGS = {
  en: ['de', 'ru', 'zh', 'ja'],
  de: ['en', 'es'],
  es: ['de'],
  ru: ['en'],
  zh: ['en'],
  ja: ['en'],
};

export function standinTranslate(text, source, target) {
  return `[${source}>${target}] ${text.toUpperCase()}`;
}

// Starts on 127.0.0.1 (free port). Returns { url, calls, failNext(kind), close() };
// `calls` holds every request ({ method, path, body }); failNext('rate'|'server'|'key')
// makes the next /translate call fail that way.
export async function startTranslateStandin({ apiKey } = {}) {
  const state = { calls: [], fail: null, url: '' };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const answer = (status, obj, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(obj));
      };
      let parsed = null;
      try { parsed = body ? JSON.parse(body) : null; } catch { parsed = null; }
      state.calls.push({ method: req.method, path: req.url, body: parsed });
      if (req.method === 'GET' && req.url === '/languages') {
        return answer(200, Object.entries(LANGS).map(([code, targets]) => ({ code, name: code, targets })));
      }
      if (req.method !== 'POST' || req.url !== '/translate') return answer(404, { error: 'Not Found' });
      if (!parsed || typeof parsed !== 'object') return answer(400, { error: 'Invalid request: missing q parameter' });
      if (apiKey && parsed.api_key !== apiKey) return answer(403, { error: 'Invalid API key' });
      const fail = state.fail;
      state.fail = null;
      if (fail === 'rate') return answer(429, { error: 'Too many request limits violations' }, { 'Retry-After': '7' });
      if (fail === 'server') return answer(500, { error: 'Cannot translate text: internal error' });
      if (fail === 'key') return answer(403, { error: 'Invalid API key' });
      const { q, source, target } = parsed;
      if (q === undefined) return answer(400, { error: 'Invalid request: missing q parameter' });
      if (!LANGS[source]) return answer(400, { error: `${source} is not supported` });
      if (!LANGS[source].includes(target)) return answer(400, { error: `${target} is not supported` });
      const one = (t) => standinTranslate(String(t), source, target);
      return answer(200, { translatedText: Array.isArray(q) ? q.map(one) : one(q) });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  return {
    get url() { return state.url; },
    calls: state.calls,
    failNext(kind) { state.fail = kind; },
    translateCalls() { return state.calls.filter((c) => c.path === '/translate'); },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
