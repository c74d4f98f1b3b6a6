// Roster import report: while the import runs, poll its status every second and update the
// counts and the progress bar; reload the page once it has finished to show the refused rows.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-import-status]");
  if (!panel) return;
  const url = panel.dataset.importStatus;
  const bar = panel.querySelector("[data-import-bar]");
  const progress = panel.querySelector("[role=progressbar]");

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) {
          window.location.reload();
          return;
        }
        panel.querySelectorAll("[data-import-field]").forEach((element) => {
          const value = status[element.dataset.importField];
          if (value !== undefined) element.textContent = value;
        });
        if (bar) bar.style.width = `${status.percent}%`;
        if (progress) progress.setAttribute("aria-valuenow", String(status.percent));
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
});
