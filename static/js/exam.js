// Timed theory exam: every answer is saved as it is given, with a sequence number per question
// so a late, stale save never overwrites a newer one. Answers given offline wait in
// localStorage (visible as "not saved yet") and are sent when the connection returns; a reload
// restores them. The clock is the server's: the page only counts down what it was told.
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
  let flushing = false;
  let closed = false;

  const fieldset = (position) => form.querySelector(`fieldset[data-position="${position}"]`);
  const mark = (position, label) => {
    const el = fieldset(position)?.querySelector(".q-state");
    if (el) el.textContent = label;
  };
  const persist = () => localStorage.setItem(storeKey, JSON.stringify(pending));
  const showBadge = () => {
    const waiting = Object.keys(pending).length;
    badge.textContent = !navigator.onLine && waiting ? text.offline : waiting ? text.pending : text.allSaved;
    badge.classList.toggle("badge-warn", waiting > 0);
  };

  function selectedOf(set) {
    return [...set.querySelectorAll("input:checked")].map((input) => Number(input.value));
  }

  async function flush() {
    if (flushing || closed) return;
    flushing = true;
    try {
      // Until the queue is empty: answers given while a save was in flight are sent too.
      for (;;) {
        const position = Object.keys(pending)[0];
        if (position === undefined || closed) break;
        const item = pending[position];
        let response;
        try {
          response = await fetch(state.saveUrl, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
            credentials: "same-origin",
            body: JSON.stringify({ position: Number(position), selected: item.selected, seq: item.seq }),
          });
        } catch (error) {
          break; // offline: keep the queue, try again when back online
        }
        if (response.ok) {
          const saved = await response.json();
          if (pending[position] && pending[position].seq <= saved.seq) {
            delete pending[position];
            mark(position, text.saved);
          }
        } else if (response.status === 409) {
          closed = true; // submitted or past the deadline: the server has the final answers
        } else {
          delete pending[position]; // refused for good (malformed); the stored answer stands
        }
        persist();
      }
    } finally {
      flushing = false;
      showBadge();
    }
  }

  form.addEventListener("change", (event) => {
    const set = event.target.closest("fieldset[data-position]");
    if (!set || closed) return;
    const position = set.dataset.position;
    seq[position] = Math.max(seq[position] || 0, pending[position]?.seq || 0) + 1;
    pending[position] = { selected: selectedOf(set), seq: seq[position] };
    persist();
    mark(position, text.pending);
    showBadge();
    flush();
  });

  // Answers given before a reload that never reached the server: show them and send them.
  for (const [position, item] of Object.entries(pending)) {
    const set = fieldset(position);
    if (!set) continue;
    set.querySelectorAll("input").forEach((input) => {
      input.checked = item.selected.includes(Number(input.value));
    });
    seq[position] = Math.max(seq[position] || 0, item.seq);
    mark(position, text.pending);
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", showBadge);
  setInterval(flush, 5000);
  showBadge();
  flush();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (!closed && !window.confirm(button.dataset.confirm)) return;
    await flush();
    localStorage.removeItem(storeKey);
    HTMLFormElement.prototype.submit.call(form);
  });

  const ends = performance.now() + state.remaining * 1000;
  const pad = (n) => String(n).padStart(2, "0");
  function tick() {
    const left = Math.max(0, Math.round((ends - performance.now()) / 1000));
    const h = Math.floor(left / 3600);
    const m = Math.floor((left % 3600) / 60);
    clock.textContent = `${h ? `${h}:` : ""}${pad(m)}:${pad(left % 60)}`;
    if (left === 0) {
      clearInterval(timer);
      badge.textContent = text.timeUp;
      closed = true;
      flush().finally(() => {
        localStorage.removeItem(storeKey);
        setTimeout(() => HTMLFormElement.prototype.submit.call(form), 1500);
      });
    }
  }
  const timer = setInterval(tick, 1000);
  tick();
})();
