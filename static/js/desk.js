// The certificate desk (即考即领): show a certificate as soon as it is drawn, without reloading
// the page. Both desk pages ask the server a small JSON status: every 2 s at first, less often
// while nothing changes (up to 10 s), backing off further after errors; the certificate page
// stops once its certificate is drawn. A hidden tab does not ask at all.
(() => {
  const FIRST = 2000;
  const QUIET_MAX = 10000;
  const ERROR_MAX = 60000;

  // Ask `url` now and again; `update(data)` returns "stop", "changed" or nothing.
  function poll(url, update) {
    let delay = FIRST;
    let timer = null;
    async function ask() {
      timer = null;
      if (document.hidden) return; // asked again when the tab is shown
      let next;
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        });
        if (!response.ok) throw new Error(String(response.status));
        const outcome = update(await response.json());
        if (outcome === "stop") return;
        delay = outcome === "changed" ? FIRST : Math.min(delay * 1.5, QUIET_MAX);
        next = delay;
      } catch (error) {
        delay = Math.min(Math.max(delay, FIRST) * 2, ERROR_MAX);
        next = delay;
      }
      timer = setTimeout(ask, next);
    }
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && timer === null) {
        delay = FIRST;
        ask();
      }
    });
    timer = setTimeout(ask, FIRST);
  }

  function certificatePage(root) {
    if (root.hasAttribute("data-print-on-load")) {
      window.addEventListener("load", () => window.print());
    }
    if (root.hasAttribute("data-ready")) return;
    poll(root.dataset.deskCertificate, (data) => {
      if (!data.ready) return undefined;
      const image = root.querySelector("img[data-src]");
      if (image) image.src = data.image;
      root.querySelectorAll("[data-when-ready]").forEach((node) => {
        node.hidden = false;
      });
      root.querySelectorAll("[data-while-drawing]").forEach((node) => node.remove());
      root.setAttribute("data-ready", "");
      return "stop";
    });
  }

  function cell(content) {
    const td = document.createElement("td");
    td.append(content);
    return td;
  }

  function listPage(table) {
    const body = table.tBodies[0];
    let seen = "";
    poll(table.dataset.deskList, (data) => {
      const key = JSON.stringify(data.certificates.map((c) => [c.id, c.ready]));
      if (key === seen) return undefined;
      const first = seen === "";
      seen = key;
      if (!data.certificates.length) {
        const empty = document.createElement("td");
        empty.colSpan = 5;
        empty.textContent = table.dataset.labelEmpty;
        const row = document.createElement("tr");
        row.append(empty);
        body.replaceChildren(row);
      } else {
        body.replaceChildren(
          ...data.certificates.map((certificate) => {
            const row = document.createElement("tr");
            row.dataset.testid = "desk-row";
            const link = document.createElement("a");
            link.href = certificate.url;
            link.textContent = certificate.number;
            const badge = document.createElement("span");
            badge.className = certificate.ready ? "badge badge-live" : "badge";
            badge.textContent = certificate.ready
              ? table.dataset.labelReady
              : table.dataset.labelDrawing;
            row.append(
              cell(link),
              cell(certificate.holder),
              cell(certificate.subject),
              cell(certificate.issued),
              cell(badge),
            );
            return row;
          }),
        );
      }
      return first ? undefined : "changed";
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-desk-certificate]").forEach(certificatePage);
    document.querySelectorAll("table[data-desk-list]").forEach(listPage);
  });
})();
