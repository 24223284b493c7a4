/**
 * The external probe: one HTTP GET of the endpoint with a short timeout, on a fresh connection
 * each time (no keep-alive, so every probe resolves the name and connects as a new client
 * would), OK on a 2xx answer. It never throws: a failure is a probe that says why.
 */
import * as http from "http";
import * as https from "https";
import { Probe } from "./timeline";

/** How long a probe waits for the answer: shorter than the second between probes. */
export const PROBE_TIMEOUT_MS = 2000;

export function probe(url: string, timeoutMs = PROBE_TIMEOUT_MS, now: () => number = Date.now): Promise<Probe> {
  const at = now();
  const get = url.startsWith("https:") ? https.get : http.get;
  return new Promise((resolve) => {
    let done = false;
    const finish = (p: Omit<Probe, "at" | "ms">) => {
      if (done) return;
      done = true;
      resolve({ at, ms: now() - at, ...p });
    };
    const req = get(url, { agent: false, timeout: timeoutMs, headers: { "user-agent": "multiaz-ref-gameday" } }, (res) => {
      res.resume();
      res.on("end", () => finish({ ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300, status: res.statusCode }));
      res.on("error", (e) => finish({ ok: false, status: res.statusCode, error: e.message }));
    });
    req.on("timeout", () => {
      finish({ ok: false, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    });
    req.on("error", (e: NodeJS.ErrnoException) => finish({ ok: false, error: e.code ?? e.message }));
  });
}
