// Check-in scanner: read an admission ticket's QR code with the device camera, put its text in
// the check-in form and submit it. The browser's own BarcodeDetector is used when there is one;
// otherwise a frame goes to the server (data-decode-url) about twice a second, one request at
// a time. The form works without any of this: a handheld scanner types the code and Enter, and
// staff can type an ID number.
//
// Markup: [data-scanner] (data-decode-url, data-msg-*) holding <video data-scanner-video>,
// [data-scanner-start], [data-scanner-status] (aria-live) and form[data-scanner-form] with
// input[data-scanner-input]. Every message shown comes from a data-msg-* attribute, so the
// template translates them.
(() => {
  const FRAME_INTERVAL = 500; // ms between frames sent to the server
  const DETECT_INTERVAL = 150; // ms between frames given to a native BarcodeDetector
  const MAX_FRAME_SIDE = 1280; // frames are scaled down to this before they are sent
  const RETRY_AFTER = 2000; // ms to wait after a failed request
  const DEFAULTS = {
    starting: "Starting the camera…",
    scanning: "Point the camera at the ticket's QR code.",
    noCamera: "No camera can be used here: use a handheld scanner or type the ID number.",
    denied: "The camera was not allowed. Allow it in the browser, or type the ID number.",
    found: "Code read: looking up the booking…",
    error: "The code reader is not answering; trying again…",
    stopped: "Camera off. Press the button to scan again.",
  };

  function setUp(root) {
    const video = root.querySelector("[data-scanner-video]");
    const startButton = root.querySelector("[data-scanner-start]");
    const status = root.querySelector("[data-scanner-status]");
    const form = root.querySelector("[data-scanner-form]");
    const input = root.querySelector("[data-scanner-input]");
    const decodeUrl = root.dataset.decodeUrl;
    if (!video || !form || !input) return;
    video.muted = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");

    let stream = null;
    let timer = null;
    let detector = null; // a native BarcodeDetector, or null to ask the server
    let canvas = null;
    let run = 0; // bumped on every start and stop, so a late answer of an old run is ignored
    let done = false;

    // data-msg-no-camera -> dataset.msgNoCamera. Without data-msg-denied the no-camera text
    // is shown, without data-msg-stopped the status line's first text (the page's prompt).
    const prompt = status?.textContent.trim() || "";
    const FALLBACK = { denied: () => message("noCamera"), stopped: () => prompt };
    const message = (key) =>
      root.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`] ||
      FALLBACK[key]?.() ||
      DEFAULTS[key];
    const say = (key) => {
      if (status) status.textContent = message(key);
    };

    const csrfToken = () =>
      root.querySelector("[name=csrfmiddlewaretoken]")?.value ||
      document.querySelector("[name=csrfmiddlewaretoken]")?.value ||
      document.cookie
        .split("; ")
        .find((cookie) => cookie.startsWith("csrftoken="))
        ?.slice("csrftoken=".length) ||
      "";

    function stopCamera() {
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
      if (done) return;
      done = true;
      stopCamera();
      say("found");
      input.value = text;
      if (startButton) startButton.disabled = true;
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.submit();
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

    const later = (current, step, delay) => {
      if (current === run) timer = setTimeout(() => step(current), delay);
    };

    // Native detection: frames straight from the video element, in the browser.
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
            headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
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
            stopCamera(); // signed out or the form expired: reloading the page is the cure
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
      if (stream || done) return;
      stopCamera();
      const current = run;
      if (startButton) startButton.disabled = true;
      if (!navigator.mediaDevices?.getUserMedia) {
        // No camera API: an insecure (http) page, or an old browser.
        if (startButton) startButton.disabled = false;
        say("noCamera");
        input.focus();
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
        input.focus();
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
            stopCamera();
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
      detector = detector || (await nativeDetector());
      if (current !== run) return;
      later(current, detector ? detectStep : sendStep, detector ? 0 : FRAME_INTERVAL / 2);
    }

    if (startButton) startButton.addEventListener("click", start);
    // A hidden page keeps no camera open (battery, privacy); scanning restarts on request.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && stream) {
        stopCamera();
        say("stopped");
      }
    });
    window.addEventListener("pagehide", stopCamera);
    window.addEventListener("pageshow", (event) => {
      if (!event.persisted) return; // back from the next page (bfcache): ready to scan again
      done = false;
      stopCamera();
      say("stopped");
    });
    // A typed or handheld-scanned code is submitted by the form itself (Enter); the camera
    // has nothing more to do then.
    form.addEventListener("submit", () => {
      done = true;
      stopCamera();
    });
  }

  const init = () => document.querySelectorAll("[data-scanner]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
