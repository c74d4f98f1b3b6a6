// Camera scanning of QR codes, shared by the check-in page and the certificate scanner.
//
// window.AnxunScanner.createCamera({...}) starts the device camera in a <video> and reads its
// frames with a detector — the browser's own BarcodeDetector, or another one the page supplies
// (the certificate scanner passes the vendored barcode-detector polyfill) — or, without one or
// when it fails, by sending a frame to the server (decodeUrl) about twice a second, one request
// at a time. It calls onFound(text) once and stops; start() scans again.
//
// The check-in page ([data-scanner]) is set up here: a read code goes into the check-in form,
// which is submitted. The form works without any of this: a handheld scanner types the code
// and Enter, and staff can type an ID number.
//
// Markup: [data-scanner] (data-decode-url, data-msg-*) holding <video data-scanner-video>,
// [data-scanner-start], [data-scanner-status] (aria-live) and form[data-scanner-form] with
// input[data-scanner-input]. Every message shown comes from a data-msg-* attribute, so the
// template translates them.
(() => {
  const FRAME_INTERVAL = 500; // ms between frames sent to the server
  const DETECT_INTERVAL = 150; // ms between frames given to an in-browser detector
  const MAX_FRAME_SIDE = 1280; // frames are scaled down to this before they are sent
  const RETRY_AFTER = 2000; // ms to wait after a failed request
  const DEFAULTS = {
    starting: "Starting the camera…",
    scanning: "Point the camera at the QR code.",
    noCamera: "No camera can be used here: use a handheld scanner or type the number.",
    denied: "The camera was not allowed. Allow it in the browser, or type the number.",
    found: "Code read.",
    error: "The code reader is not answering; trying again…",
    stopped: "Camera off. Press the button to scan again.",
  };

  const csrfToken = (root = document) =>
    root.querySelector("[name=csrfmiddlewaretoken]")?.value ||
    document.querySelector("[name=csrfmiddlewaretoken]")?.value ||
    document.cookie
      .split("; ")
      .find((cookie) => cookie.startsWith("csrftoken="))
      ?.slice("csrftoken=".length) ||
    "";

  // data-msg-no-camera -> dataset.msgNoCamera; missing ones fall back as described above.
  function messages(root, status) {
    const prompt = status?.textContent.trim() || "";
    const FALLBACK = { denied: () => message("noCamera"), stopped: () => prompt };
    const message = (key) =>
      root.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`] ||
      FALLBACK[key]?.() ||
      DEFAULTS[key];
    return message;
  }

  async function nativeDetector() {
    if (!("BarcodeDetector" in window)) return null;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) return null;
      return new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      return null;
    }
  }

  // options: root (for the CSRF token), video, startButton, say(key), decodeUrl,
  // onFound(text), onUnavailable() (no camera: the page offers its input instead) and
  // getDetector() (resolves to a detector with detect(video), or null for the server).
  function createCamera({
    root,
    video,
    startButton,
    say,
    decodeUrl,
    onFound,
    onUnavailable = () => {},
    getDetector = nativeDetector,
  }) {
    video.muted = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");

    let stream = null;
    let timer = null;
    let detector = null; // an in-browser detector, or null to ask the server
    let detectorBroken = false; // it failed once: the server reads frames from then on
    let canvas = null;
    let run = 0; // bumped on every start and stop, so a late answer of an old run is ignored

    function stop() {
      run += 1;
      clearTimeout(timer);
      timer = null;
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.srcObject = null;
      root.classList.remove("is-scanning");
      if (startButton) startButton.disabled = false;
    }

    function found(text) {
      stop();
      onFound(text);
    }

    const later = (current, step, delay) => {
      if (current === run) timer = setTimeout(() => step(current), delay);
    };

    // In-browser detection: frames straight from the video element.
    async function detectStep(current) {
      if (current !== run) return;
      try {
        const codes = await detector.detect(video);
        if (current !== run) return;
        const code = codes.find((item) => item.rawValue);
        if (code) {
          found(code.rawValue);
          return;
        }
      } catch (error) {
        // The detector failed (video not ready, or a broken implementation): use the server.
        if (video.readyState >= 2) {
          detector = null;
          detectorBroken = true;
          later(current, sendStep, 0);
          return;
        }
      }
      later(current, detectStep, DETECT_INTERVAL);
    }

    function frameBlob() {
      const width = video.videoWidth;
      const height = video.videoHeight;
      if (!width || !height) return Promise.resolve(null);
      const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(width, height));
      canvas = canvas || document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    }

    // Server detection: one frame at a time, the next about FRAME_INTERVAL after the last began.
    async function sendStep(current) {
      if (current !== run) return;
      const began = performance.now();
      let delay = FRAME_INTERVAL;
      try {
        const blob = await frameBlob();
        if (blob && current === run) {
          const body = new FormData();
          body.append("frame", blob, "frame.jpg");
          const response = await fetch(decodeUrl, {
            method: "POST",
            body,
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken(root), Accept: "application/json" },
          });
          if (current !== run) return;
          if (response.ok) {
            const answer = await response.json();
            if (current !== run) return;
            if (answer.text) {
              found(answer.text);
              return;
            }
            say("scanning");
          } else if (response.status === 422) {
            say("scanning"); // no code in this frame: carry on
          } else if (response.status === 401 || response.status === 403) {
            stop(); // signed out or the form expired: reloading the page is the cure
            say("error");
            return;
          } else {
            say("error");
            delay = RETRY_AFTER;
          }
        }
      } catch (error) {
        if (current !== run) return;
        say("error"); // offline for a moment
        delay = RETRY_AFTER;
      }
      later(current, sendStep, Math.max(0, delay - (performance.now() - began)));
    }

    async function start() {
      if (stream) return;
      stop();
      const current = run;
      if (startButton) startButton.disabled = true;
      if (!navigator.mediaDevices?.getUserMedia) {
        // No camera API: an insecure (http) page, or an old browser.
        if (startButton) startButton.disabled = false;
        say("noCamera");
        onUnavailable();
        return;
      }
      say("starting");
      let media;
      try {
        // The plain (ideal) facingMode: {exact: "environment"} fails on single-camera devices.
        media = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
      } catch (error) {
        if (startButton) startButton.disabled = false;
        say(error?.name === "NotAllowedError" ? "denied" : "noCamera");
        onUnavailable();
        return;
      }
      if (current !== run) {
        media.getTracks().forEach((track) => track.stop());
        return;
      }
      stream = media;
      video.srcObject = stream;
      stream.getVideoTracks().forEach((track) =>
        track.addEventListener("ended", () => {
          if (stream) {
            stop();
            say("noCamera");
          }
        }),
      );
      try {
        await video.play();
      } catch (error) {
        // Autoplay refused (it should not be, for a muted video): frames still arrive.
      }
      if (current !== run) return;
      root.classList.add("is-scanning");
      say("scanning");
      if (!detector && !detectorBroken) detector = await getDetector();
      if (current !== run) return;
      later(current, detector ? detectStep : sendStep, detector ? 0 : FRAME_INTERVAL / 2);
    }

    // A hidden page keeps no camera open (battery, privacy); scanning restarts on request.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && stream) {
        stop();
        say("stopped");
      }
    });
    window.addEventListener("pagehide", stop);

    return {
      start,
      stop,
      get running() {
        return stream !== null;
      },
    };
  }

  // The check-in page.
  function setUp(root) {
    const video = root.querySelector("[data-scanner-video]");
    const startButton = root.querySelector("[data-scanner-start]");
    const status = root.querySelector("[data-scanner-status]");
    const form = root.querySelector("[data-scanner-form]");
    const input = root.querySelector("[data-scanner-input]");
    if (!video || !form || !input) return;
    const message = messages(root, status);
    const say = (key) => {
      if (status) status.textContent = message(key);
    };
    let done = false; // a code was read and the form submitted

    const camera = createCamera({
      root,
      video,
      startButton,
      say,
      decodeUrl: root.dataset.decodeUrl,
      onUnavailable: () => input.focus(),
      onFound(text) {
        if (done) return;
        done = true;
        say("found");
        input.value = text;
        if (startButton) startButton.disabled = true;
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      },
    });

    if (startButton)
      startButton.addEventListener("click", () => {
        if (!done) camera.start();
      });
    window.addEventListener("pageshow", (event) => {
      if (!event.persisted) return; // back from the next page (bfcache): ready to scan again
      done = false;
      camera.stop();
      say("stopped");
    });
    // A typed or handheld-scanned code is submitted by the form itself (Enter); the camera
    // has nothing more to do then.
    form.addEventListener("submit", () => {
      done = true;
      camera.stop();
    });
  }

  window.AnxunScanner = { createCamera, nativeDetector, csrfToken, messages };

  const init = () => document.querySelectorAll("[data-scanner]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
