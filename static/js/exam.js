// Timed theory exam: every answer is saved as it is given, with a sequence number per question
// so a late, stale save never overwrites a newer one. Unsent answers wait in localStorage
// (visible as "not saved yet") and are sent when the connection returns; a reload restores
// them. Nothing is dropped unless the server refused it as malformed. The clock is the server's.
(() => {
  const state = JSON.parse(document.getElementById("exam-state").textContent);
  const text = JSON.parse(document.getElementById("exam-text").textContent);
  const form = document.getElementById("exam-form");
  const badge = document.getElementById("exam-saving");
  const clock = document.getElementById("exam-clock");
  const storeKey = `anxun-exam-${state.attempt}`;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const seq = Object.fromEntries(Object.entries(state.seq).map(([k, v]) => [k, Number(v)]));
  let pending = JSON.parse(localStorage.getItem(storeKey) || "{}");
  let running = null; // the drain in progress, awaited by anyone who needs the queue empty
  let finished = false; // the server says the attempt is submitted or past its deadline
  let timeUp = false;

  const fieldset = (position) => form.querySelector(`fieldset[data-position="${position}"]`);
  const mark = (position, label) => {
    const el = fieldset(position)?.querySelector(".q-state");
    if (el) el.textContent = label;
  };
  const persist = () => localStorage.setItem(storeKey, JSON.stringify(pending));
  const waiting = () => Object.keys(pending).length;
  const showBadge = () => {
    badge.textContent = timeUp
      ? text.timeUp
      : !navigator.onLine && waiting()
        ? text.offline
        : waiting()
          ? text.pending
          : text.allSaved;
    badge.classList.toggle("badge-warn", waiting() > 0);
  };

  // Send the queue, one answer at a time, until it is empty (answers given meanwhile included).
  // Resolves true when everything is saved, false when it has to wait (offline, server busy).
  async function drain() {
    for (;;) {
      const position = Object.keys(pending)[0];
      if (position === undefined) return true;
      if (finished) return false;
      const item = pending[position];
      let response;
      let saved;
      try {
        response = await fetch(state.saveUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          credentials: "same-origin",
          body: JSON.stringify({ position: Number(position), selected: item.selected, seq: item.seq }),
        });
        if (response.ok) saved = await response.json(); // HTML (a login page) throws: retry later
      } catch (error) {
        return false;
      }
      if (response.ok) {
        if (pending[position] && pending[position].seq <= saved.seq) {
          delete pending[position];
          mark(position, text.saved);
          if (saved.seq > item.seq) show(position, saved.selected); // newer, from another tab
        }
        seq[position] = Math.max(seq[position] || 0, saved.seq);
      } else if (response.status === 409) {
        finished = true; // submitted elsewhere or past the deadline: the result page says
        return false;
      } else if (response.status === 400 || response.status === 404) {
        delete pending[position]; // refused for good: the answer stored before stands
      } else {
        return false; // 5xx, 429, 403 after a new login...: keep it and try again
      }
      persist();
    }
  }
  function flush() {
    if (!running) {
      running = drain().finally(() => {
        running = null;
        showBadge();
      });
    }
    return running;
  }

  async function finish() {
    await flush();
    if (waiting() && !finished) {
      badge.textContent = text.offline; // keep the answers; submit as soon as we are back
      window.addEventListener("online", finish, { once: true });
      setTimeout(finish, 5000);
      return;
    }
    localStorage.removeItem(storeKey);
    HTMLFormElement.prototype.submit.call(form);
  }

  form.addEventListener("change", (event) => {
    const set = event.target.closest("fieldset[data-position]");
    if (!set || finished || timeUp) return;
    const position = set.dataset.position;
    // Sequence numbers follow the clock (tenths of a second since 2026), so the latest answer
    // wins even between two tabs or devices; never below what this page has already used.
    const tick10 = Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / 100);
    seq[position] = Math.max((seq[position] || 0) + 1, (pending[position]?.seq || 0) + 1, tick10);
    const selected = [...set.querySelectorAll("input:checked")].map((input) => Number(input.value));
    pending[position] = { selected, seq: seq[position] };
    persist();
    mark(position, text.pending);
    showBadge();
    flush().then(() => finished && finish());
  });

  function show(position, selected) {
    fieldset(position)?.querySelectorAll("input").forEach((input) => {
      input.checked = selected.includes(Number(input.value));
    });
  }

  // Answers given before a reload that never reached the server: show them and send them.
  for (const [position, item] of Object.entries(pending)) {
    if (!fieldset(position)) continue;
    show(position, item.selected);
    seq[position] = Math.max(seq[position] || 0, item.seq);
    mark(position, text.pending);
  }
  window.addEventListener("online", () => flush());
  window.addEventListener("offline", showBadge);
  setInterval(() => waiting() && flush(), 5000);
  showBadge();
  flush();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (!finished && !timeUp && !window.confirm(button.dataset.confirm)) return;
    finish();
  });

  const ends = performance.now() + state.remaining * 1000;
  const pad = (n) => String(n).padStart(2, "0");
  function tick() {
    const left = Math.max(0, Math.round((ends - performance.now()) / 1000));
    const h = Math.floor(left / 3600);
    const m = Math.floor((left % 3600) / 60);
    clock.textContent = `${h ? `${h}:` : ""}${pad(m)}:${pad(left % 60)}`;
    if (left === 0 && !timeUp) {
      clearInterval(timer);
      timeUp = true; // answers in the queue still go (the server allows a short grace)
      form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach((input) => {
        input.disabled = true;
      });
      showBadge();
      finish();
    }
  }
  const timer = setInterval(tick, 1000);
  tick();
})();
