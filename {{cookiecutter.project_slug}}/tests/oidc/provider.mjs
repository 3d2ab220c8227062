// A real OpenID Connect provider for the social login tests: node's oidc-provider, with its
// own small login and consent pages, the clients and users of a JSON file, on a loopback port.
//
//   node provider.mjs <config.json>     prints one line, {"issuer": ...}, once it listens
//
// The config holds the issuer ("http://localhost:<port>"), the clients and the users
// ({"<login>": {"password", "claims"}}). Besides the standard endpoints it answers:
//   POST /control/rotate   sign with a new key from now on (the old one stays published)
//   GET  /control/stats    {"jwks_requests": n}: how often the JWKS was fetched
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { port } = new URL(config.issuer);
const keys = [];
let provider;
let handle;
let jwksRequests = 0;

function newKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

// A new Provider signs with the first key of its set; the others stay in its JWKS.
function build() {
  return new Provider(config.issuer, {
    clients: config.clients,
    jwks: { keys },
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    conformIdTokenClaims: false, // the ID token carries email and profile, as Google's does
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (ctx, sub) => {
      const user = config.users[sub];
      return user && { accountId: sub, claims: () => ({ sub, ...user.claims }) };
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 600 },
  });
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function readForm(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

// The login and consent pages: a form each, as a real provider shows them.
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (action === 'abort') {
    const result = { error: 'access_denied', error_description: 'The user said no.' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (details.prompt.name === 'login') {
      const error = details.lastSubmission?.error ? '<p id="error">Wrong login or password.</p>' : '';
      res.end(page('Sign in to the test provider', `${error}
<form method="post" action="/interaction/${uid}/login">
<input id="login" name="login" autocomplete="username">
<input id="password" name="password" type="password" autocomplete="current-password">
<button id="sign-in" type="submit">Sign in</button></form>
<a id="cancel" href="/interaction/${uid}/abort">Cancel</a>`));
    } else {
      res.end(page(`Allow ${details.params.client_id} to see your profile?`, `
<form method="post" action="/interaction/${uid}/confirm"><button id="allow" type="submit">Allow</button></form>
<a id="deny" href="/interaction/${uid}/abort">Deny</a>`));
    }
    return;
  }
  const form = await readForm(req);
  if (action === 'login') {
    const user = config.users[form.get('login')];
    if (!user || user.password !== form.get('password')) {
      res.statusCode = 303;
      res.setHeader('Location', `/interaction/${uid}`);
      res.end();
      return;
    }
    const result = { login: { accountId: form.get('login') } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const consent = { consent: { grantId: await grant.save() } };
  await provider.interactionFinished(req, res, consent, { mergeWithLastSubmission: true });
}

keys.push(newKey());
provider = build();
handle = provider.callback();

const server = createServer((req, res) => {
  const url = new URL(req.url, config.issuer);
  const match = url.pathname.match(/^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/);
  if (match) {
    interaction(req, res, match[1], match[2]).catch((error) => {
      res.statusCode = 400;
      res.end(String(error));
    });
    return;
  }
  if (url.pathname === '/control/rotate' && req.method === 'POST') {
    keys.unshift(newKey());
    provider = build();
    handle = provider.callback();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ kid: keys[0].kid }));
    return;
  }
  if (url.pathname === '/control/stats') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ jwks_requests: jwksRequests }));
    return;
  }
  if (url.pathname === '/jwks') {
    jwksRequests += 1;
  }
  handle(req, res);
});

server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer: config.issuer })}\n`);
});
