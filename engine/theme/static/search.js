// Site search: turns the search page's form, which leads to the archive without JavaScript, into a search
// of the posts' current text through the Pagefind index the build makes.  Without the index (under
// `feuilleton serve`) the form is left as it is.
const form = document.querySelector("form.search-form");
if (form) start(form);

async function start(form) {
  let pagefind;
  try {
    pagefind = await import(new URL(form.dataset.bundle + "pagefind.js", location.href).href);
    await pagefind.options({ baseUrl: form.dataset.base, excerptLength: 30 });
    await pagefind.init();
  } catch (error) {
    return;  // no index: the form goes on leading to the archive
  }
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  form.querySelector(".search-fallback").hidden = true;
  form.removeAttribute("action");
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  input.addEventListener("input", () => run());
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; run(); }

  async function run() {
    const query = input.value.trim();
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    if (!query) { status.textContent = ""; list.replaceChildren(); return; }
    const search = await pagefind.debouncedSearch(query, {}, 150);
    if (search === null || input.value.trim() !== query) return;  // a newer query took over
    const found = await Promise.all(search.results.slice(0, 30).map((result) => result.data()));
    if (input.value.trim() !== query) return;
    status.textContent = found.length ? status.dataset.some : status.dataset.none;
    list.replaceChildren(...found.map(item));
  }
}

function item(found) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.className = "search-title";
  link.href = found.url;
  link.textContent = found.meta.title || found.url;
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.innerHTML = found.excerpt;  // Pagefind's own escaped text of this site's page, with <mark>s
  li.append(link, excerpt);
  const language = found.meta.language;  // a post in another language than this page's: its title and words
  if (language && language !== document.documentElement.lang) {  // read and laid out in their own
    li.lang = language;
    li.dir = found.meta.direction === "rtl" ? "rtl" : "ltr";
  }
  return li;
}
