// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      menu.classList.toggle("is-open", !open);
    });
  }
});

// Employer boxes: suggest registered enterprises while typing (the server lists at most 10).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-enterprise-search]").forEach((input) => {
    const options = document.getElementById(input.getAttribute("list"));
    let timer = null;
    let last = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = input.value.trim();
        if (text.length < 2 || text === last) return;
        last = text;
        const url = `${input.dataset.enterpriseSearch}?q=${encodeURIComponent(text)}`;
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const { results } = await response.json();
        options.replaceChildren(
          ...results.map((item) => {
            const option = document.createElement("option");
            option.value = item.name;
            option.label = `${item.district} · ${item.uscc}`;
            return option;
          }),
        );
      }, 200);
    });
  });
});

// Forms that change something for good ask first (the question is in data-confirm).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
