// Lesson study time: a heartbeat every `interval` seconds, only while the page is visible.
// The server decides what counts (capped, never faster than the wall clock); this only asks.
(() => {
  const box = document.getElementById("lesson-time");
  if (!box || box.dataset.completed === "true") return;
  const url = box.dataset.heartbeatUrl;
  const interval = Number(box.dataset.heartbeatInterval) * 1000;
  const required = Number(box.dataset.required);
  const shown = box.querySelector("[data-testid=lesson-seconds]");
  const done = box.querySelector("[data-testid=lesson-done]");
  const bar = box.querySelector(".progress span");
  const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="))?.split("=")[1];
  let timer = null;

  async function beat(resume = false) {
    if (document.visibilityState !== "visible") return;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": csrf || "", "X-Requested-With": "fetch" },
        credentials: "same-origin",
        body: resume ? new URLSearchParams({ resume: "1" }) : null,
      });
      if (!response.ok) return;
      const state = await response.json();
      const seconds = Math.min(state.seconds, required);
      shown.textContent = seconds;
      bar.style.width = `${Math.min(100, Math.floor((100 * seconds) / required))}%`;
      if (state.completed) {
        done.hidden = false;
        stop();
      }
    } catch (error) {
      // Offline for a moment: the next beat tries again; nothing is credited meanwhile.
    }
  }
  function start() {
    if (!timer) {
      beat(true); // visible again: restart the clock, the hidden time earns nothing
      timer = setInterval(() => beat(), interval);
    }
  }
  function stop() {
    clearInterval(timer);
    timer = null;
  }
  document.addEventListener("visibilitychange", () =>
    document.visibilityState === "visible" ? start() : stop(),
  );
  if (document.visibilityState === "visible") start();
})();
