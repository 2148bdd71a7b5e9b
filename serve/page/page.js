/* The query page: YASGUI on this server's /sparql, the saved queries as one-click examples.
 * Nothing here reaches beyond this server: the endpoint list holds only /sparql and the editor's
 * autocompleters that ask remote vocabulary services (LOV) are switched off. */
(function () {
  "use strict";
  const endpoint = new URL("/sparql", window.location.href).href;
  // Only the local completers: "class" and "property" ask lov.linkeddata.es.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(
    (name) => name === "variables" || name === "prefixes");
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: null,
  });

  function show(query) {
    const tab = yasgui.getTab();
    tab.setQuery(query.text);
    tab.getYasqe().query();
  }

  fetch("/queries").then((response) => response.json()).then((queries) => {
    const list = document.getElementById("saved-queries");
    for (const query of queries) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.query = query.name;
      button.textContent = query.name;  // text, never HTML: names and titles are data
      const title = document.createElement("small");
      title.textContent = query.title;
      button.append(title);
      button.addEventListener("click", () => show(query));
      const item = document.createElement("li");
      item.append(button);
      list.append(item);
    }
    document.body.dataset.ready = "1";
  });

  fetch("/views/graph.html", { method: "HEAD" }).then((response) => {
    if (!response.ok) document.getElementById("graph-link").remove();
  });
})();
