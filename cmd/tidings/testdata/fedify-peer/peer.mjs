// An independent ActivityPub peer built on Fedify, for Tidings' Go tests.
// Usage: node peer.mjs --port 0 --name NAME [--first-knock rfc9421|draft-cavage]
//                      [--log-level debug|info|warning|error]
// When ready it prints one JSON line to stdout ({"url","actor","handle"});
// everything else goes to stderr.  See README.md for the control API.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import { parseArgs } from "node:util";

if (Number(process.versions.node.split(".")[0]) < 20) throw new Error(`peer.mjs needs Node.js 20+, not ${process.version}`);

// Workarounds for Node 20, which Fedify 2.x does not support (it wants
// Node 22+).  They must run before Fedify loads, so Fedify is imported
// dynamically below (static imports would be hoisted above them).
// 1. Fedify reads `navigator?.userAgent` when importing Ed25519 keys (e.g. a
//    remote actor's Multikey): a ReferenceError without the global.
globalThis.navigator ??= { userAgent: `Node.js/${process.versions.node}` };
// 2. byte-encodings (Fedify's base64/hex codec for keys, digests and
//    signatures) calls ArrayBuffer#transfer: copy into a new buffer of the
//    requested length, zero-filled past the end (the original stays attached).
if (typeof ArrayBuffer.prototype.transfer !== "function") {
  Object.defineProperty(ArrayBuffer.prototype, "transfer", {
    configurable: true, writable: true,
    value: function transfer(newLength) {
      const length = newLength === undefined ? this.byteLength : Number(newLength);
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}

const { createFederation, MemoryKvStore, verifyRequest } = await import("@fedify/fedify");
const {
  Accept, Activity, Announce, Create, Delete, Endpoints, Follow, Like, Mention,
  Note, Person, PUBLIC_COLLECTION, Reject, Tombstone, Undo, Update, isActor,
} = await import("@fedify/vocab");
const { Temporal } = await import("@js-temporal/polyfill");
const { configure, getLogger, getTextFormatter } = await import("@logtape/logtape");

const { values: args } = parseArgs({ options: {
  port: { type: "string", default: "0" },
  name: { type: "string", default: "peer" },
  "first-knock": { type: "string", default: "rfc9421" },
  "log-level": { type: "string", default: "info" },
} });
const NAME = args.name;
const FIRST_KNOCK = { "rfc9421": "rfc9421", "draft-cavage": "draft-cavage-http-signatures-12",
  "draft-cavage-http-signatures-12": "draft-cavage-http-signatures-12" }[args["first-knock"]];
if (!/^[a-z0-9_]+$/i.test(NAME) || FIRST_KNOCK == null) {
  console.error("usage: node peer.mjs --port N --name NAME [--first-knock rfc9421|draft-cavage]");
  process.exit(2);
}

const format = getTextFormatter();
await configure({
  contextLocalStorage: new AsyncLocalStorage(),
  sinks: { stderr: (record) => process.stderr.write(format(record)) },
  // Without an Ed25519 key Fedify warns on every send that it attaches no proof.
  filters: { noProofWarning: (r) => !String(r.rawMessage).startsWith("No supported key found to create a proof") },
  loggers: [
    { category: "fedify", sinks: ["stderr"], filters: ["noProofWarning"], lowestLevel: args["log-level"] },
    { category: "peer", sinks: ["stderr"], lowestLevel: "debug" },
    { category: ["logtape", "meta"], sinks: ["stderr"], lowestLevel: "warning" },
  ],
});
const log = getLogger(["peer"]);

// Loopback only: the tests must never reach the internet.  Fedify's WebFinger
// client always uses https for acct: handles, but loopback servers speak plain
// http, so /.well-known/ lookups on loopback are rewritten to http.
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  let url = new URL(input instanceof Request ? input.url : input);
  if (!LOOPBACK.has(url.hostname)) {
    return Promise.reject(new TypeError(`peer refuses to fetch non-loopback ${url.href}`));
  }
  if (url.protocol === "https:" && url.pathname.startsWith("/.well-known/") && !(input instanceof Request)) {
    url.protocol = "http:";
    log.debug("Fetching {url} over plain http (loopback).", { url: url.href });
    return realFetch(url, init);
  }
  return realFetch(input, init);
};

// State, all in memory.
const followers = new Map();  // actor id -> { id, inboxId, endpoints, followId }
const following = new Map();  // actor id -> { actor, state, follow (Follow), recipient }
const received = [];          // recorded inbox activities
const requests = [];          // non-control HTTP requests: method, path, httpSignature, status
const notes = new Map();      // note uuid -> { note (Note), create (Create), deleted }
const profile = { name: NAME, updated: Temporal.Now.instant() };
let refusedScheme = null;     // a signature scheme answered 401 unread, as a server without it would

// One RSASSA-PKCS1-v1_5 RSA-2048 key: Fedify signs HTTP requests with RSA for
// both RFC 9421 (rsa-v1_5-sha256) and draft-cavage.  No Ed25519 key, so no
// Object Integrity Proofs are attached to outgoing activities.
const rsaKey = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);

let federation = null;  // made once the port, hence the origin, is known
const server = http.createServer((req, res) => handle(req, res).catch((error) => {
  log.error("Request {method} {url} failed: {error}", { method: req.method, url: req.url, error });
  if (!res.headersSent) sendJson(res, 500, { error: String(error) });
}));
await new Promise((resolve) => server.listen(Number(args.port), "127.0.0.1", resolve));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

federation = createFederation({
  kv: new MemoryKvStore(),
  origin: ORIGIN,
  allowPrivateAddress: true,  // loopback peers; test use only
  firstKnock: FIRST_KNOCK,    // the signature spec tried first ("double-knocking")
  // No queue: sendActivity delivers at once, so the control API can answer
  // with delivery errors, and inbox listeners run inside the POST request.
});

const uuid = () => crypto.randomUUID();
const activityId = () => new URL(`/activities/${uuid()}`, ORIGIN);
const me = () => ({ identifier: NAME });

function buildPerson(ctx) {
  return ctx.getActorKeyPairs(NAME).then((keys) => new Person({
    id: ctx.getActorUri(NAME), preferredUsername: NAME, name: profile.name,
    summary: "Fedify test peer for Tidings", updated: profile.updated,
    inbox: ctx.getInboxUri(NAME), outbox: ctx.getOutboxUri(NAME),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    followers: ctx.getFollowersUri(NAME), following: ctx.getFollowingUri(NAME),
    manuallyApprovesFollowers: false,
    publicKey: keys[0].cryptographicKey, assertionMethods: keys.map((k) => k.multikey),
  }));
}

federation.setActorDispatcher("/users/{identifier}", (ctx, id) => (id === NAME ? buildPerson(ctx) : null))
  .setKeyPairsDispatcher((_ctx, id) => (id === NAME ? [rsaKey] : []))
  .mapHandle((_ctx, username) => (username === NAME ? NAME : null));
federation.setObjectDispatcher(Note, "/notes/{id}", (_ctx, { id }) => {
  const entry = notes.get(id);
  return entry && !entry.deleted ? entry.note : null;
});
federation.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, id) => (id === NAME ? {
  items: [...notes.values()].filter((n) => !n.deleted).map((n) => n.create).reverse(),
} : null));
federation.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, id) =>
  (id === NAME ? { items: [...followers.values()] } : null)).setCounter(() => followers.size);
federation.setFollowingDispatcher("/users/{identifier}/following", (_ctx, id) => (id === NAME ? {
  items: [...following.values()].filter((f) => f.state === "accepted").map((f) => new URL(f.actor)),
} : null));
federation.setNodeInfoDispatcher("/nodeinfo/2.1", () => ({
  software: { name: "tidings-fedify-peer", version: "2.3.6" }, protocols: ["activitypub"],
  usage: { users: { total: 1 }, localPosts: notes.size, localComments: 0 },
}));

// record stores what a test needs to know about a received activity.  The
// object's fields come from the compact JSON-LD when the object is embedded.
async function record(ctx, activity) {
  const raw = await activity.toJsonLd();
  const obj = typeof raw.object === "object" && raw.object !== null ? raw.object : null;
  const first = (map) => (map && typeof map === "object" ? Object.values(map)[0] : undefined);
  const entry = {
    type: raw.type, id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null,
    objectId: activity.objectId?.href ?? null, objectType: obj?.type ?? null,
    name: obj?.name ?? first(obj?.nameMap) ?? null, content: obj?.content ?? first(obj?.contentMap) ?? null,
    updated: obj?.updated ?? null, attachments: obj ? await attachmentsOf(activity) : [],
    httpSignature: ctx.data.httpSignature, recipient: ctx.recipient,
    raw, body: ctx.data.body, receivedAt: new Date().toISOString(),
  };
  received.push(entry);
  log.info("Received {type} {id} from {actor}", entry);
  return entry;
}

// attachmentsOf reports the attachments of an embedded object as Fedify's
// typed model reads them: what a Fedify-based server would show.
async function attachmentsOf(activity) {
  try {
    const object = await activity.getObject();
    if (object?.getAttachments == null) return [];
    const out = [];
    for await (const a of object.getAttachments()) {
      const url = a.url instanceof URL ? a.url.href : a.url?.href?.href ?? null;
      out.push({ type: a.constructor.name, url: url ?? a.href?.href ?? null, mediaType: a.mediaType ?? null,
        name: a.name?.toString() ?? null, width: a.width ?? null, height: a.height ?? null });
    }
    return out;
  } catch (error) {
    log.error("Reading attachments failed: {error}", { error });
    return [];
  }
}

// Replies are sent after the HTTP response, as a queue-based server would.
const afterResponse = (ctx, fn) => ctx.data.after.push(() => fn().catch((error) =>
  log.error("Deferred delivery failed: {error}", { error })));

federation.setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    const entry = await record(ctx, follow);
    if (entry.objectId !== ctx.getActorUri(NAME).href) return;
    const actor = await follow.getActor();
    if (actor == null || actor.id == null) throw new Error("Follow without a resolvable actor");
    followers.set(actor.id.href, { id: actor.id, inboxId: actor.inboxId, endpoints: actor.endpoints, followId: follow.id?.href });
    const accept = new Accept({ id: activityId(), actor: ctx.getActorUri(NAME), object: follow });
    afterResponse(ctx, () => ctx.sendActivity(me(), actor, accept));
  })
  .on(Undo, async (ctx, undo) => {
    const entry = await record(ctx, undo);
    const f = followers.get(entry.actor);
    if (entry.objectType === "Follow" || (f && f.followId === entry.objectId)) followers.delete(entry.actor);
  })
  .on(Accept, async (ctx, a) => settleFollow(await record(ctx, a), "accepted"))
  .on(Reject, async (ctx, r) => settleFollow(await record(ctx, r), "rejected"))
  .on(Activity, async (ctx, activity) => { await record(ctx, activity); })  // Create, Update, Delete, Like, Announce, ...
  .onError((_ctx, error) => log.error("Inbox listener failed: {error}", { error }));

function settleFollow(entry, state) {
  const f = following.get(entry.actor);
  if (f && (entry.objectId === f.follow.id.href || entry.objectType === "Follow")) f.state = state;
}

// The control API, for the Go tests.
async function control(method, url, body) {
  const ctx = federation.createContext(new URL(ORIGIN), { httpSignature: null, body: null, after: [] });
  const route = `${method} ${url.pathname.replace(/^\/_control/, "")}`;
  // Lookups sign their GETs with the actor's key, like Mastodon's fetches.
  const lookup = async (target) => (target ? ctx.lookupObject(String(target),
    { documentLoader: await ctx.getDocumentLoader({ identifier: NAME }) }) : null);
  const lookupActor = async (target) => {
    const actor = await lookup(target);
    return isActor(actor) && actor.id ? actor : null;
  };
  switch (route) {
    case "GET /inbox": {
      const type = url.searchParams.get("type");
      return [200, received.filter((a) => !type || a.type === type)];
    }
    case "GET /followers": return [200, [...followers.keys()]];
    case "GET /following": return [200, [...following.values()].map(({ actor, state }) => ({ actor, state }))];
    case "GET /requests": return [200, requests];
    case "POST /refuse-scheme": {
      if (![null, "rfc9421", "draft-cavage"].includes(body.scheme ?? null)) {
        return [400, { error: "scheme must be rfc9421, draft-cavage or null" }];
      }
      refusedScheme = body.scheme ?? null;
      return [200, { refused: refusedScheme }];
    }
    case "POST /follow": {
      const actor = await lookupActor(body.target);
      if (!actor) return [404, { error: `no actor found for ${JSON.stringify(body.target)}` }];
      const follow = new Follow({ id: activityId(), actor: ctx.getActorUri(NAME), object: actor.id });
      following.set(actor.id.href, { actor: actor.id.href, state: "pending", follow, recipient: actor });
      await ctx.sendActivity(me(), actor, follow).catch((error) => {
        following.delete(actor.id.href);
        throw error;
      });
      return [202, { id: follow.id.href, actor: actor.id.href }];
    }
    case "POST /unfollow": {
      const actor = await lookupActor(body.target);
      const f = actor && following.get(actor.id.href);
      if (!f) return [404, { error: `not following ${JSON.stringify(body.target)}` }];
      const undo = new Undo({ id: activityId(), actor: ctx.getActorUri(NAME), object: f.follow });
      await ctx.sendActivity(me(), f.recipient, undo);
      following.delete(actor.id.href);
      return [202, { id: undo.id.href }];
    }
    case "POST /post": {
      if (typeof body.content !== "string") return [400, { error: "content (HTML string) is required" }];
      const mentioned = body.mention ? await lookupActor(body.mention) : null;
      if (body.mention && !mentioned) return [404, { error: `no actor found for ${body.mention}` }];
      const key = uuid();
      const id = ctx.getObjectUri(Note, { id: key });
      const ccs = [ctx.getFollowersUri(NAME), ...(mentioned ? [mentioned.id] : [])];
      const published = Temporal.Now.instant();
      const tags = mentioned ? [new Mention({ href: mentioned.id,
        name: `@${mentioned.preferredUsername}@${mentioned.id.host}` })] : [];
      const note = new Note({ id, attribution: ctx.getActorUri(NAME), content: body.content,
        to: PUBLIC_COLLECTION, ccs, tags, published, url: id });
      const create = new Create({ id: new URL(`${id.href}#create`), actor: ctx.getActorUri(NAME),
        object: note, to: PUBLIC_COLLECTION, ccs, published });
      notes.set(key, { note, create, deleted: false, mentioned });
      await ctx.sendActivity(me(), "followers", create);
      if (mentioned && !followers.has(mentioned.id.href)) await ctx.sendActivity(me(), mentioned, create);
      return [202, { id: id.href, activity: create.id.href }];
    }
    case "POST /delete": {
      const parsed = body.object ? ctx.parseUri(new URL(String(body.object))) : null;
      const entry = parsed?.type === "object" ? notes.get(parsed.values.id) : null;
      if (!entry || entry.deleted) return [404, { error: `not a note of this peer: ${body.object}` }];
      entry.deleted = true;
      const del = new Delete({ id: activityId(), actor: ctx.getActorUri(NAME), to: PUBLIC_COLLECTION,
        cc: ctx.getFollowersUri(NAME), object: new Tombstone({ id: entry.note.id, deleted: Temporal.Now.instant() }) });
      await ctx.sendActivity(me(), "followers", del);
      if (entry.mentioned && !followers.has(entry.mentioned.id.href)) await ctx.sendActivity(me(), entry.mentioned, del);
      return [202, { id: del.id.href }];
    }
    case "POST /like": {
      const object = await lookup(body.object);
      if (!object?.id) return [404, { error: `no object found at ${body.object}` }];
      const author = object.attributionId ? await lookupActor(object.attributionId.href) : null;
      if (!author) return [404, { error: `no author found for ${body.object}` }];
      const like = new Like({ id: activityId(), actor: ctx.getActorUri(NAME), object: object.id });
      await ctx.sendActivity(me(), author, like);
      return [202, { id: like.id.href }];
    }
    case "POST /announce": {
      const object = await lookup(body.object);
      if (!object?.id) return [404, { error: `no object found at ${body.object}` }];
      const author = object.attributionId ? await lookupActor(object.attributionId.href) : null;
      const announce = new Announce({ id: activityId(), actor: ctx.getActorUri(NAME), object: object.id,
        to: PUBLIC_COLLECTION, ccs: [ctx.getFollowersUri(NAME), ...(author?.id ? [author.id] : [])],
        published: Temporal.Now.instant() });
      await ctx.sendActivity(me(), "followers", announce);
      if (author && !followers.has(author.id.href)) await ctx.sendActivity(me(), author, announce);
      return [202, { id: announce.id.href }];
    }
    case "POST /update-profile": {
      if (typeof body.name !== "string") return [400, { error: "name is required" }];
      Object.assign(profile, { name: body.name, updated: Temporal.Now.instant() });
      const update = new Update({ id: activityId(), actor: ctx.getActorUri(NAME),
        object: await buildPerson(ctx), to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(NAME) });
      await ctx.sendActivity(me(), "followers", update);
      return [202, { id: update.id.href }];
    }
  }
  return [404, { error: `unknown control route ${route}` }];
}

// signatureScheme tells which HTTP signature spec a request carries.
const signatureScheme = (headers) =>
  headers.has("signature-input") ? "rfc9421" : headers.has("signature") ? "draft-cavage" : null;

function sendJson(res, status, value) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

// handle adapts node:http to Fedify's fetch-style handler and serves /_control/.
async function handle(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const url = new URL(req.url, `http://${req.headers.host ?? "127.0.0.1"}`);
  if (url.pathname.startsWith("/_control/")) {
    let input = {};
    try { input = body.length ? JSON.parse(body.toString("utf8")) : {}; }
    catch { return sendJson(res, 400, { error: "body is not JSON" }); }
    try { return sendJson(res, ...await control(req.method, url, input ?? {})); }
    catch (error) {
      log.error("Control {route} failed: {error}", { route: url.pathname, error });
      return sendJson(res, 502, { error: String(error?.message ?? error) });
    }
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const request = new Request(url, { method: req.method, headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
  let parsed = null;
  try { parsed = body.length ? JSON.parse(body.toString("utf8")) : null; } catch { /* not JSON */ }
  const contextData = { httpSignature: signatureScheme(headers), body: parsed, after: [] };
  const entry = { method: req.method, path: url.pathname + url.search, httpSignature: contextData.httpSignature,
    verifiedSignature: null, status: 0, receivedAt: new Date().toISOString() };
  if (refusedScheme != null && contextData.httpSignature === refusedScheme) {
    entry.status = 401;
    requests.push(entry);
    return sendJson(res, 401, { error: `${refusedScheme} signatures are refused here` });
  }
  // Fedify verifies an inbox POST itself (and refuses a bad one with 401);
  // a GET it serves whatever its signature, so the peer verifies that one.
  if (req.method === "GET" && contextData.httpSignature != null) {
    const ctx = federation.createContext(new URL(ORIGIN), {});
    const key = await verifyRequest(request.clone(), { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader })
      .catch((error) => { log.warn("Verifying a GET failed: {error}", { error }); return null; });
    if (key != null) entry.verifiedSignature = contextData.httpSignature;
  }
  const response = await federation.fetch(request, { contextData });
  entry.status = response.status;
  if (req.method === "POST" && response.ok) entry.verifiedSignature = contextData.httpSignature;
  requests.push(entry);
  res.writeHead(response.status, [...response.headers].flat());
  res.end(Buffer.from(await response.arrayBuffer()));
  for (const task of contextData.after) task();
}

const handle_ = `${NAME}@${new URL(ORIGIN).host}`;
const actorId = federation.createContext(new URL(ORIGIN), {}).getActorUri(NAME).href;
process.stdout.write(JSON.stringify({ url: ORIGIN, actor: actorId, handle: handle_ }) + "\n");
log.info("Fedify peer {handle} listening on {url} (first knock: {firstKnock})",
  { handle: handle_, url: ORIGIN, firstKnock: FIRST_KNOCK });
