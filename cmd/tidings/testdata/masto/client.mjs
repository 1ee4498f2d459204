// A Mastodon client built on masto.js, the library Elk and Phanpy use,
// driven step by step by Tidings' Go test (cmd/tidings/masto_test.go).
// Each line on stdin is one step as JSON ({"step": "...", ...}); each
// answer is one line of JSON on stdout: the step's results, or
// {"error": "..."} when the step failed. The consent page needs a
// person with a session, which masto.js has no part in, so the Go test
// walks it and hands the code back.
//
//   node client.mjs --url http://127.0.0.1:PORT
import { createInterface } from "node:readline";
import { createHash, randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import {
  createOAuthAPIClient,
  createRestAPIClient,
  createStreamingAPIClient,
} from "masto";

// masto.js is written for Node 22; Node 20 lacks Promise.withResolvers,
// which its streaming client calls.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const { values: args } = parseArgs({ options: { url: { type: "string" } } });
const url = args.url;
const redirectUri = "urn:ietf:wg:oauth:2.0:oob";
const scopes = "read write follow";
const state = {};

// The events of the open stream, read by one loop, and those waiting
// for them.
const received = [];
let wake = () => {};

// waitEvent answers the first received event that matches (taking it),
// or null after ms milliseconds without one.
async function waitEvent(match, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const i = received.findIndex(match);
    if (i >= 0) return received.splice(i, 1)[0];
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await new Promise((resolve) => {
      wake = resolve;
      setTimeout(resolve, left).unref();
    });
  }
}

const steps = {
  // Register an app (masto's apps.create) and make a PKCE challenge.
  async register() {
    const rest = createRestAPIClient({ url });
    const app = await rest.v1.apps.create({
      clientName: "masto.js test",
      redirectUris: redirectUri,
      scopes,
      website: "https://example.org",
    });
    state.app = app;
    state.verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(state.verifier).digest("base64url");
    return {
      client_id: app.clientId,
      redirect_uri: redirectUri,
      scope: scopes,
      code_challenge: challenge,
      code_challenge_method: "S256",
    };
  },

  // Exchange the code for a token with the PKCE verifier, and verify
  // the credentials.
  async token({ code }) {
    const oauth = createOAuthAPIClient({ url });
    const token = await oauth.token.create({
      grantType: "authorization_code",
      clientId: state.app.clientId,
      clientSecret: state.app.clientSecret,
      redirectUri,
      code,
      codeVerifier: state.verifier,
      scope: scopes,
    });
    state.token = token.accessToken;
    state.rest = createRestAPIClient({ url, accessToken: state.token });
    const me = await state.rest.v1.accounts.verifyCredentials();
    state.me = me;
    return { acct: me.acct, id: me.id, token_type: token.tokenType, scope: token.scope };
  },

  // Post a status, then find it on the home timeline.
  async post({ text }) {
    const status = await state.rest.v1.statuses.create({ status: text });
    const home = await state.rest.v1.timelines.home.list({ limit: 20 });
    return { id: status.id, content: status.content, home: home.map((s) => s.id) };
  },

  // Favourite another member's status.
  async favourite({ id }) {
    const status = await state.rest.v1.statuses.$select(id).favourite();
    return { id: status.id, favourited: status.favourited, favourites_count: status.favouritesCount };
  },

  // Boost another member's status, then find the reblog first on the
  // home timeline.
  async reblog({ id }) {
    const status = await state.rest.v1.statuses.$select(id).reblog();
    const home = await state.rest.v1.timelines.home.list({ limit: 1 });
    return { id: status.id, reblog: status.reblog?.id, reblogged: status.reblog?.reblogged, home: home[0]?.id };
  },

  // File a report of an account and one of its statuses.
  async report({ account_id, status_id }) {
    const report = await state.rest.v1.reports.create({
      accountId: account_id,
      statusIds: [status_id],
      comment: "Spam, from masto.js",
      category: "spam",
    });
    return { id: report.id, category: report.category };
  },

  // Open the streaming API at the address the instance gives, and
  // subscribe to the user stream.
  async stream() {
    const instance = await state.rest.v2.instance.fetch();
    state.streaming = createStreamingAPIClient({
      streamingApiUrl: instance.configuration.urls.streaming,
      accessToken: state.token,
      implementation: WebSocket,
      retry: false,
    });
    const user = state.streaming.user.subscribe();
    (async () => {
      try {
        for await (const event of user) {
          received.push(event);
          wake();
        }
      } catch (err) {
        state.streamError = String(err);
      }
    })();
    return { streaming: instance.configuration.urls.streaming };
  },

  // Wait a second for the update of a status on the open stream: the
  // stream is known to be subscribed once one arrives.
  async update({ id }) {
    const e = await waitEvent((e) => e.event === "update" && e.payload.id === id, 1000);
    if (state.streamError) throw new Error(state.streamError);
    return e ? { stream: e.stream, id: e.payload.id, content: e.payload.content } : { seen: false };
  },

  // Wait for the next notification on the open stream.
  async notification() {
    const e = await waitEvent((e) => e.event === "notification", 60_000);
    if (!e) throw new Error(`no notification on the stream after 60 s ${state.streamError ?? ""}`);
    return { stream: e.stream, type: e.payload.type, account: e.payload.account.acct, status: e.payload.status?.id ?? "" };
  },

  // Follow an account of another server, found by its handle, and wait
  // until the follow is accepted.
  async follow({ handle }) {
    const found = await state.rest.v1.accounts.search.list({ q: handle, resolve: true, limit: 1 });
    if (found.length === 0) throw new Error(`no account found for ${handle}`);
    const account = found[0];
    let rel = await state.rest.v1.accounts.$select(account.id).follow();
    const requested = rel.requested;
    for (let tries = 0; !rel.following && tries < 600; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [rel] = await state.rest.v1.accounts.relationships.fetch({ id: [account.id] });
    }
    return { acct: account.acct, requested, following: rel.following };
  },
};

const input = createInterface({ input: process.stdin });
for await (const line of input) {
  let answer;
  try {
    const request = JSON.parse(line);
    const step = steps[request.step];
    if (!step) throw new Error(`no step ${request.step}`);
    answer = await step(request);
  } catch (err) {
    answer = { error: String(err?.stack ?? err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
state.streaming?.close();
