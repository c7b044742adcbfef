// Shows the route the app started at, and follows its link with the history
// API instead of a page load, as Angular's router does.
const root = document.querySelector("app-root");

function render() {
  const route = document.createElement("p");
  route.id = "route";
  route.textContent = location.pathname;
  const link = document.createElement("a");
  link.id = "secrets";
  link.href = "your/secrets"; // relative: resolved against <base href="/">
  link.textContent = "Your secrets";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    history.pushState(null, "", link.href);
    render();
  });
  root.replaceChildren(route, link);
}

window.addEventListener("popstate", render);
render();
