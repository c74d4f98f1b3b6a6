// The staff certificate scanner (templates/certificates/staff/scanner.html), an ES module.
//
// A certificate's QR code holds https://host/v/<token>?c=<signed fields>&s=<Ed25519 signature>.
// It is read by the camera (window.AnxunScanner from scanner.js: the browser's BarcodeDetector,
// else the vendored barcode-detector polyfill, else frames decoded by the server), by a handheld
// scanner typing into the form (Enter), or staff type the certificate number.
//
// A scanned code's signature is checked here at once with WebCrypto (Ed25519) against the
// published keys (JWKS, kept in localStorage so the check works offline). Then the server
// checks the record and logs the scan, and the full record is shown. Offline, the scan
// (token, c, s, scanned_at) waits in localStorage and is sent when the connection returns
// (the "online" event, and a retry every half minute); its answer replaces the offline one
// if it is still on screen.
//
// Offline, the signed fields are shown ONLY when their signature verified on this device: a
// code whose signature is bad shows "not genuine", one whose key this device does not hold
// (or a browser that cannot check) shows "cannot be checked offline, check online" — never a
// certificate field or a status by dates. A code with a parameter given twice is not a
// certificate's (the public page refuses it the same way). Codes signed since the holder was
// bound (anxun-cert-2) carry the holder's masked name (shown) and a keyed hash of the ID number
// (checked online only: the key never leaves the server, since with it the hash of a number with
// so little entropy could be reversed).
//
// Every message comes from a data-msg-* attribute of [data-certificate-scanner], translated by
// the template; the record's layout is the page's <template data-answer-template>.

// The signing domain by the number of signed fields (certificates/signing.py).
const DOMAINS = { 6: "anxun-cert-1", 8: "anxun-cert-2" };
const BATCH = 50; // scans per upload of the queue
const QUEUE_LIMIT = 1000; // scans kept offline at most (the oldest are dropped past it)
const RETRY_EVERY = 30_000; // ms between attempts to send the queue
const JWKS_STORE = "anxun.certificates.jwks";
const KEYS_REFETCH = 60_000; // ms: an unknown key id makes the page fetch the keys again
const TOKEN = /^[A-Za-z0-9_-]{16,32}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{85}[AQgw]$/;
const ID_HASH = /^[A-Za-z0-9_-]{12}$/;
const NUMBER = /^[A-Za-z0-9-]{4,24}$/;

function b64urlBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

// The token and signed fields in a certificate QR code's URL, or null.
export function parseScan(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch (error) {
    return null;
  }
  const match = url.pathname.match(/\/v\/([^/]+)\/?$/);
  const c = url.searchParams.getAll("c");
  const s = url.searchParams.getAll("s");
  // Every QR code has both, once: a repeated parameter is refused (as the page refuses it).
  if (!match || !TOKEN.test(match[1]) || c.length !== 1 || s.length !== 1) return null;
  if (!c[0] || !s[0]) return null;
  return { token: match[1], c: c[0], s: s[0] };
}

// kid~number~subject code~issued YYYYMMDD~valid until~review due[~masked name~ID hash]
export function compactFields(compact) {
  const parts = compact.split("~");
  const domain = DOMAINS[parts.length];
  if (!domain) return null;
  const date = (value) =>
    /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : "";
  const [kid, number, subjectCode, issued, validUntil, reviewDue, holderMask, idHash] = parts;
  if (!kid || !date(issued) || !date(validUntil) || !date(reviewDue)) return null;
  if (parts.length === 8 && (!holderMask || !ID_HASH.test(idHash))) return null;
  return {
    domain,
    kid,
    number,
    subject_code: subjectCode,
    issued_on: date(issued),
    valid_until: date(validUntil),
    review_due: date(reviewDue),
    holder_mask: holderMask || "",
    id_hash: idHash || "",
  };
}

function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function setUp(root) {
  const scanner = window.AnxunScanner;
  const video = root.querySelector("[data-scanner-video]");
  const startButton = root.querySelector("[data-scanner-start]");
  const status = root.querySelector("[data-scanner-status]");
  const form = root.querySelector("[data-scanner-form]");
  const input = root.querySelector("[data-scanner-input]");
  const panel = root.querySelector("[data-result-panel]");
  const signatureLine = root.querySelector("[data-signature]");
  const progress = root.querySelector("[data-progress]");
  const result = root.querySelector("[data-result]");
  const queueBox = root.querySelector("[data-queue]");
  const queueText = root.querySelector("[data-queue-text]");
  const queueSend = root.querySelector("[data-queue-send]");
  const answerTemplate = document.querySelector("template[data-answer-template]");
  const offlineTemplate = document.querySelector("template[data-offline-template]");
  if (!form || !input || !panel || !result || !answerTemplate) return;
  const { verifyUrl, lookupUrl, decodeUrl, jwksUrl, polyfillUrl, wasmUrl } = root.dataset;
  const subjectNames = (() => {
    try {
      return JSON.parse(document.getElementById("certificate-subjects")?.textContent || "{}");
    } catch (error) {
      return {};
    }
  })();
  const queueStore = `anxun.certificates.scans.${root.dataset.queueKey || "0"}`;

  const message = scanner
    ? scanner.messages(root, status)
    : (key) => root.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`] || "";
  // The offline answers' messages sit on their own element ([data-scanner-messages]).
  const more = document.querySelector("[data-scanner-messages]")?.dataset || {};
  const text = (key) => more[`msg${key[0].toUpperCase()}${key.slice(1)}`] || message(key);
  const say = (key) => {
    if (status) status.textContent = message(key);
  };
  const csrfToken = () =>
    scanner ? scanner.csrfToken(root) : root.querySelector("[name=csrfmiddlewaretoken]")?.value;

  // --- Showing answers ---------------------------------------------------------------------

  let current = null; // the scan on screen: {token, scanned_at}, to put its late answer there

  function showProgress(key) {
    if (!progress) return;
    progress.textContent = key ? message(key) : "";
    progress.hidden = !key;
  }

  const SIGNATURE_CSS = {
    genuine: "alert-success",
    bad: "alert-error",
    unknown: "alert-warning",
    unsupported: "alert-warning",
  };

  function showSignature(state) {
    if (!signatureLine) return;
    signatureLine.hidden = !state;
    signatureLine.dataset.state = state || "";
    signatureLine.className = `alert ${SIGNATURE_CSS[state] || ""}`;
    signatureLine.textContent = state ? message(`sig${state[0].toUpperCase()}${state.slice(1)}`) : "";
  }

  function showError(key) {
    const box = document.createElement("p");
    box.className = "alert alert-error";
    box.dataset.testid = "refusal";
    box.textContent = text(key);
    result.replaceChildren(box);
    panel.dataset.state = "error";
    showProgress(null);
  }

  function fill(node, values) {
    node.querySelectorAll("[data-field]").forEach((element) => {
      const value = values[element.dataset.field];
      if (element.tagName === "IMG") {
        if (value) element.src = value;
        else element.removeAttribute("src");
        element.hidden = !value;
      } else if (value !== undefined && value !== null && value !== "") {
        element.textContent = value;
      }
    });
  }

  function toggle(node, key, visible) {
    node.querySelectorAll(`[data-when="${key}"]`).forEach((element) => {
      element.hidden = !visible;
    });
  }

  const OUTCOME_CSS = { valid: "alert-success", review_due: "alert-warning" };

  // scanned: the answer is to a scanned code (whose signature line is on screen).
  function showAnswer(answer, scanned = true) {
    const node = answerTemplate.content.firstElementChild.cloneNode(true);
    const record = answer.record || {};
    fill(node, { ...record, outcome_label: answer.outcome_label });
    node.dataset.outcome = answer.outcome;
    const box = node.querySelector("[data-field=status_box]");
    box.className = `alert ${OUTCOME_CSS[answer.outcome] || "alert-error"}`;
    toggle(node, "not_genuine", !answer.genuine);
    toggle(node, "record", Boolean(answer.record));
    toggle(node, "no_photo", Boolean(answer.record) && !record.photo_url);
    toggle(node, "revoked_reason", Boolean(record.revoked_reason));
    toggle(node, "replaced_by", Boolean(record.replaced_by));
    result.replaceChildren(node);
    panel.dataset.state = answer.outcome;
    showProgress(null);
    if (scanned) {
      // The server checked the signature too, with the current keys: its word is final.
      if (answer.genuine) showSignature("genuine");
      else if (signatureLine?.dataset.state === "genuine") showSignature(null);
    }
  }

  function dateStatus(fields) {
    const today = todayIso();
    if (fields.valid_until && today > fields.valid_until) return message("statusExpired");
    if (fields.review_due && today >= fields.review_due) return message("statusReviewDue");
    return message("statusValid");
  }

  // signature: what this device found ("genuine", "bad", "unknown", "unsupported").
  // Only a genuine code's fields are shown; anything else says so and shows none.
  function showOffline(scan, signature) {
    const fields = compactFields(scan.c);
    if (signature !== "genuine" || !fields) {
      const box = document.createElement("p");
      box.className = `alert ${signature === "bad" ? "alert-error" : "alert-warning"}`;
      box.dataset.testid = "offline-refusal";
      box.dataset.offlineRefusal = signature === "bad" ? "not_genuine" : "check_online";
      box.textContent = text(signature === "bad" ? "offlineBad" : "offlineUnchecked");
      result.replaceChildren(box);
      panel.dataset.state = signature === "bad" ? "not_genuine" : "unchecked";
      showProgress(null);
      return;
    }
    if (!offlineTemplate) {
      result.replaceChildren();
    } else {
      const node = offlineTemplate.content.firstElementChild.cloneNode(true);
      fill(node, {
        ...fields,
        subject: subjectNames[fields.subject_code] || fields.subject_code,
        date_status: dateStatus(fields),
      });
      toggle(node, "holder_mask", Boolean(fields.holder_mask));
      result.replaceChildren(node);
    }
    panel.dataset.state = "queued";
    showProgress("queued");
  }

  // --- The signature, checked here ---------------------------------------------------------

  function storedKeys() {
    try {
      return JSON.parse(localStorage.getItem(JWKS_STORE) || "null")?.keys || [];
    } catch (error) {
      return [];
    }
  }

  let keysFetchedAt = 0; // when this page last fetched the keys (0: not yet)

  async function fetchKeys() {
    try {
      const response = await fetch(jwksUrl, {
        headers: { Accept: "application/json" },
        cache: "no-cache",
      });
      if (!response.ok) return storedKeys();
      const jwks = await response.json();
      const keys = (jwks.keys || []).filter((key) => key.crv === "Ed25519" && key.x && key.kid);
      keysFetchedAt = Date.now();
      try {
        localStorage.setItem(JWKS_STORE, JSON.stringify({ keys, fetched: keysFetchedAt }));
      } catch (error) {
        // Storage refused: the keys serve this page only.
      }
      return keys;
    } catch (error) {
      return storedKeys();
    }
  }

  // "genuine", "bad", "unknown" (the key is not on this device) or "unsupported"
  async function checkSignature(scan) {
    const fields = compactFields(scan.c);
    // 64 bytes in 86 base64url characters, the last carrying 2 bits: only A, Q, g or w end
    // a canonical one (other endings would decode to the same bytes: refuse them).
    if (!fields || !SIGNATURE.test(scan.s) || !TOKEN.test(scan.token)) return "bad";
    if (!window.crypto?.subtle) return "unsupported";
    let key = storedKeys().find((item) => item.kid === fields.kid);
    if (!key && navigator.onLine && Date.now() - keysFetchedAt > KEYS_REFETCH) {
      // A key newer than this device's copy, perhaps.
      key = (await fetchKeys()).find((item) => item.kid === fields.kid);
    }
    if (!key) return keysFetchedAt && navigator.onLine ? "bad" : "unknown";
    try {
      const publicKey = await crypto.subtle.importKey(
        "raw",
        b64urlBytes(key.x),
        { name: "Ed25519" },
        false,
        ["verify"],
      );
      const signed = new TextEncoder().encode(`${fields.domain}|${scan.token}|${scan.c}`);
      const genuine = await crypto.subtle.verify(
        { name: "Ed25519" },
        publicKey,
        b64urlBytes(scan.s),
        signed,
      );
      return genuine ? "genuine" : "bad";
    } catch (error) {
      if (error?.name === "NotSupportedError") return "unsupported";
      return "bad"; // not base64url, or a key or signature of the wrong size
    }
  }

  // --- Talking to the server ---------------------------------------------------------------

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null; // a login page or a proxy's error page
    }
    return { status: response.status, ok: response.ok && answer !== null, answer };
  }

  const failureKey = (status) =>
    status === 401 || status === 403 ? "signedOut" : status === 429 ? "throttled" : "serverError";

  // --- The offline queue -------------------------------------------------------------------

  function readQueue() {
    try {
      const queue = JSON.parse(localStorage.getItem(queueStore) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function writeQueue(queue) {
    try {
      if (queue.length) localStorage.setItem(queueStore, JSON.stringify(queue.slice(-QUEUE_LIMIT)));
      else localStorage.removeItem(queueStore);
    } catch (error) {
      // Storage full or refused: the scan stays on screen only.
    }
    showQueue();
  }

  // The queue's line: how many scans wait, and why when sending failed (extra: a message key).
  function showQueue(extra) {
    if (!queueBox) return;
    const count = readQueue().length;
    queueBox.hidden = !count;
    queueBox.dataset.count = String(count);
    queueBox.className = `alert ${extra ? "alert-error" : "alert-warning"}`;
    if (queueText) {
      queueText.textContent = count
        ? message("queue").replace("{count}", count) + (extra ? ` ${message(extra)}` : "")
        : "";
    }
    if (queueSend) queueSend.hidden = !count;
  }

  function showSent(count) {
    const left = readQueue().length;
    if (!queueBox || !queueText) return;
    queueBox.hidden = false;
    queueBox.dataset.count = String(left);
    queueBox.className = `alert ${left ? "alert-warning" : "alert-success"}`;
    queueText.textContent =
      message("sent").replace("{count}", count) +
      (left ? ` ${message("queue").replace("{count}", left)}` : "");
    if (queueSend) queueSend.hidden = !left;
  }

  const sameScan = (a, b) => a.token === b.token && a.scanned_at === b.scanned_at;

  let sending = false;
  let blocked = false; // signed out: wait for the next page load or "online" event

  async function sendQueue() {
    if (sending || blocked) return;
    sending = true;
    try {
      // Batch after batch, while the server takes whole batches.
      while (navigator.onLine) {
        const batch = readQueue().slice(0, BATCH);
        if (!batch.length) return;
        const { status, ok, answer } = await post(verifyUrl, { scans: batch });
        if (ok) {
          const results = answer.results || [];
          const sent = batch.slice(0, results.length);
          writeQueue(readQueue().filter((item) => !sent.some((done) => sameScan(done, item))));
          results.forEach((item, index) => {
            if (current && sameScan(current, batch[index])) showAnswer(item);
          });
          if (sent.length) showSent(sent.length);
          if (results.length < batch.length) return; // throttled part-way: the timer resumes
        } else if (status === 400) {
          // The server cannot read these: keeping them would block the queue for good.
          writeQueue(readQueue().filter((item) => !batch.some((bad) => sameScan(bad, item))));
        } else {
          if (status === 401 || status === 403) blocked = true;
          showQueue(failureKey(status));
          return;
        }
      }
    } catch (error) {
      // Still offline, or the server is away: the retry timer tries again.
    } finally {
      sending = false;
    }
  }

  // --- A scan ------------------------------------------------------------------------------

  async function verify(scan) {
    current = scan;
    panel.dataset.state = "checking";
    result.replaceChildren();
    showSignature(null);
    showProgress("checking");
    const signature = await checkSignature(scan);
    if (current !== scan) return; // a newer scan took over meanwhile
    showSignature(signature);
    if (navigator.onLine) {
      try {
        const { status, ok, answer } = await post(verifyUrl, { scans: [scan] });
        if (current !== scan) return;
        if (ok && answer.results?.length) {
          showAnswer(answer.results[0]);
          sendQueue();
          return;
        }
        if (status === 400) {
          showError("notCertificate");
          return;
        }
        if (status === 401 || status === 403) blocked = true;
        writeQueue([...readQueue(), scan]);
        showOffline(scan, signature);
        showQueue(failureKey(status));
        return;
      } catch (error) {
        // The connection dropped on the way: keep the scan like any offline one.
      }
    }
    writeQueue([...readQueue(), scan]);
    if (current === scan) showOffline(scan, signature);
  }

  async function lookUp(number) {
    current = null;
    showSignature(null);
    result.replaceChildren();
    if (!navigator.onLine) {
      showError("lookupOffline");
      return;
    }
    panel.dataset.state = "checking";
    showProgress("checking");
    try {
      const { status, ok, answer } = await post(lookupUrl, { number });
      if (ok && answer.results?.length) showAnswer(answer.results[0], false);
      else showError(failureKey(status));
    } catch (error) {
      showError("lookupOffline");
    }
  }

  function handle(text) {
    const value = (text || "").trim();
    if (!value) return;
    const scan = parseScan(value);
    if (scan) {
      verify({ ...scan, scanned_at: new Date().toISOString() });
    } else if (value.includes("/v/") && value.toLowerCase().startsWith("http")) {
      // A verification link that is not a QR code's (a parameter twice, one missing, a bad
      // token): not genuine, as the public page answers it. Nothing of it is shown.
      current = null;
      showSignature("bad");
      showError("offlineBad");
      panel.dataset.state = "not_genuine";
    } else if (NUMBER.test(value)) {
      lookUp(value.toUpperCase());
    } else {
      current = null;
      showSignature(null);
      showError("notCertificate");
    }
  }

  // --- Reading codes -----------------------------------------------------------------------

  // The browser's own detector; else the vendored polyfill (zxing-wasm from our static files,
  // never a CDN), checked with a real decode, since it answers getSupportedFormats() even when
  // its WebAssembly failed to load; else null: frames go to the server.
  async function detector() {
    const native = await scanner.nativeDetector();
    if (native) return native;
    if (!polyfillUrl || !wasmUrl) return null;
    try {
      const polyfill = await import(polyfillUrl);
      await polyfill.prepareZXingModule({
        overrides: {
          locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
        },
        fireImmediately: true,
      });
      const reader = new polyfill.BarcodeDetector({ formats: ["qr_code"] });
      const probe = document.createElement("canvas");
      probe.width = 16;
      probe.height = 16;
      probe.getContext("2d").fillRect(0, 0, 16, 16);
      await reader.detect(probe);
      return reader;
    } catch (error) {
      return null;
    }
  }

  let camera = null;
  if (scanner && video) {
    camera = scanner.createCamera({
      root,
      video,
      startButton,
      say,
      decodeUrl,
      getDetector: detector,
      onUnavailable: () => input.focus(),
      onFound(text) {
        say("again");
        handle(text);
      },
    });
    if (startButton) startButton.addEventListener("click", () => camera.start());
  } else if (startButton) {
    startButton.hidden = true;
  }

  // A handheld scanner types the code and Enter; staff type a number.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (camera?.running) camera.stop();
    const text = input.value;
    input.value = "";
    input.focus();
    handle(text);
  });

  if (queueSend) queueSend.addEventListener("click", () => {
    blocked = false;
    sendQueue();
  });
  window.addEventListener("online", () => {
    blocked = false;
    sendQueue();
  });
  setInterval(sendQueue, RETRY_EVERY);
  showQueue();
  if (navigator.onLine) {
    fetchKeys().then(sendQueue);
  }
  root.dataset.ready = "true";
}

const init = () => document.querySelectorAll("[data-certificate-scanner]").forEach(setUp);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
