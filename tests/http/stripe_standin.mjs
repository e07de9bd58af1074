// Test helper: a local stand-in for the Stripe API (online payment). It speaks the one endpoint
// Parley calls — POST /v1/checkout/sessions, form-encoded, "Authorization: Bearer <key>" —
// checks the fields, records every call and answers like Stripe ({id: "cs_test_…", url}).
// Also signs webhook payloads the way Stripe does (Stripe-Signature: t=…,v1=HMAC-SHA256).
import http from 'node:http';
import crypto from 'node:crypto';

const REQUIRED = [
  'mode', 'line_items[0][price_data][currency]', 'line_items[0][price_data][unit_amount]',
  'line_items[0][price_data][product_data][name]', 'line_items[0][quantity]', 'success_url', 'cancel_url',
  'client_reference_id', 'metadata[quote_id]', 'metadata[quote_version]',
];

// Starts the stand-in on 127.0.0.1 (free port). Returns { url, sessions, calls, failNext, close() }:
// `sessions` are the sessions created (the form fields as an object plus id/url), `calls`
// every request seen ({ method, path, authorization, contentType, status }).
export async function startStripeStandin({ apiKey }) {
  const state = { sessions: [], calls: [], failNext: false, url: '' };
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const answer = (status, obj) => {
        state.calls.push({ method: req.method, path: req.url, authorization: req.headers.authorization,
          contentType: req.headers['content-type'], status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const error = (status, message) => answer(status, { error: { type: 'invalid_request_error', message } });
      if (req.method !== 'POST' || req.url !== '/v1/checkout/sessions') return error(404, 'Unrecognized request URL');
      if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'Invalid API Key provided');
      if (!(req.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded'))
        return error(400, 'Expected a form-encoded body');
      if (state.failNext) { state.failNext = false; return error(500, 'Something went wrong on our end'); }
      const form = Object.fromEntries(new URLSearchParams(body));
      for (const f of REQUIRED) if (!form[f]) return error(400, `Missing required param: ${f}.`);
      if (form.mode !== 'payment') return error(400, 'Invalid mode');
      if (!/^[a-z]{3}$/.test(form['line_items[0][price_data][currency]'])) return error(400, 'Invalid currency');
      if (!/^[1-9][0-9]*$/.test(form['line_items[0][price_data][unit_amount]'])) return error(400, 'Invalid integer');
      if (form['line_items[0][quantity]'] !== '1') return error(400, 'Invalid quantity');
      const id = `cs_test_${++n}_${crypto.randomBytes(6).toString('hex')}`;
      const session = { id, url: `${state.url}/c/pay/${id}`, form };
      state.sessions.push(session);
      answer(200, {
        id, object: 'checkout.session', url: session.url, mode: 'payment', payment_status: 'unpaid',
        amount_total: Number(form['line_items[0][price_data][unit_amount]']),
        currency: form['line_items[0][price_data][currency]'],
        client_reference_id: form.client_reference_id,
        metadata: { quote_id: form['metadata[quote_id]'], quote_version: form['metadata[quote_version]'] },
      });
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.close = () => new Promise((res) => server.close(res));
  return state;
}

// A checkout.session.completed event for a session the stand-in created.
export function completedEvent(session, { eventId, amount, currency, paymentStatus = 'paid' } = {}) {
  const f = session.form;
  return {
    id: eventId || `evt_${crypto.randomBytes(8).toString('hex')}`,
    object: 'event',
    type: 'checkout.session.completed',
    data: {
      object: {
        id: session.id, object: 'checkout.session', mode: 'payment', payment_status: paymentStatus,
        amount_total: amount ?? Number(f['line_items[0][price_data][unit_amount]']),
        currency: currency ?? f['line_items[0][price_data][currency]'],
        client_reference_id: f.client_reference_id,
        metadata: { quote_id: f['metadata[quote_id]'], quote_version: f['metadata[quote_version]'] },
        payment_intent: `pi_${crypto.randomBytes(8).toString('hex')}`,
      },
    },
  };
}

// Stripe-Signature for a raw body: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
export function signature(secret, body, t = Math.floor(Date.now() / 1000)) {
  const v1 = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
