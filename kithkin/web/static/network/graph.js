// The network graph (/graph/), drawn with the vendored Cytoscape.js from the page's JSON: you at
// the centre, the people shown on rings by strength (the strongest nearest), coloured by circle,
// the ties between them, and the rest of the network as clusters on the outer ring. Selecting a
// person opens their page; selecting a cluster narrows the graph to it. Without this script the
// page is the table it holds.
(function () {
  "use strict";

  let current = null;

  function colour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--kk-circle-" + name).trim() || "#9ca3af";
  }

  // Rings of strength: 80 and above nearest you, under 20 outermost; clusters beyond them. Within
  // a ring people of one circle sit together (the fraction), strongest first.
  const CIRCLES = ["family", "friend", "neighbor", "colleague", "former_colleague", "classmate", "client",
    "vendor", "competitor", "committee", "community", "other", "none"];
  function level(person) {
    const band = 1 + Math.min(4, Math.floor(person.strength / 20));
    return band + (CIRCLES.length - CIRCLES.indexOf(person.circle || "none")) / 100;
  }

  function elements(data) {
    const nodes = [];
    const edges = [];
    data.nodes.forEach(function (node) {
      if (node.kind === "you") {
        nodes.push({ data: { id: "you", kind: "you", label: "You", level: 100, strength: 100, colour: "#111827" } });
        return;
      }
      const circle = node.circle || "none";
      nodes.push({ data: {
        id: "p" + node.id, kind: "person", label: node.name, url: node.url, strength: node.strength,
        colour: colour(circle), level: level(node),
      } });
    });
    data.edges.forEach(function (edge, index) {
      const source = edge.source === "you" ? "you" : "p" + edge.source;
      edges.push({ data: { id: "e" + index, source: source, target: "p" + edge.target, kind: edge.kind, strength: edge.strength } });
    });
    data.clusters.forEach(function (cluster, index) {
      nodes.push({ data: {
        id: "c" + index, kind: "cluster", label: cluster.label + " · " + cluster.count.toLocaleString(),
        count: cluster.count, filters: cluster.filters, level: 0, strength: 0, colour: "#eef1f5",
      } });
      edges.push({ data: { id: "ce" + index, source: "you", target: "c" + index, kind: "cluster", strength: 0 } });
    });
    return nodes.concat(edges);
  }

  const STYLE = [
    { selector: "node", style: {
      "width": "mapData(strength, 0, 100, 12, 40)", "height": "mapData(strength, 0, 100, 12, 40)",
      "background-color": "data(colour)", "label": "data(label)", "font-size": 10, "color": "#1f2933",
      "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 7,
      "text-background-color": "#ffffff", "text-background-opacity": 0.75, "text-background-padding": 1,
    } },
    { selector: "node[kind = 'you']", style: {
      "width": 46, "height": 46, "background-color": "#111827", "color": "#ffffff", "text-valign": "center",
      "text-margin-y": 0, "text-background-opacity": 0, "font-weight": "bold", "font-size": 12,
    } },
    { selector: "node[kind = 'cluster']", style: {
      "shape": "round-rectangle", "width": "mapData(count, 1, 5000, 18, 44)", "height": "mapData(count, 1, 5000, 18, 44)",
      "background-color": "#eef1f5", "border-width": 1, "border-color": "#8a93a3", "font-size": 10, "color": "#374151",
    } },
    { selector: "edge", style: { "curve-style": "haystack", "line-color": "#cbd5e1", "width": 1, "opacity": 0.3 } },
    // A few hundred people can share a thousand ties: the weak ones stay faint.
    { selector: "edge[kind = 'tie']", style: {
      "line-color": "#334155", "width": "mapData(strength, 0, 100, 0.5, 4)", "opacity": "mapData(strength, 0, 100, 0.12, 0.7)",
    } },
    { selector: "edge[kind = 'cluster']", style: { "line-style": "dashed", "opacity": 0.25 } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#0172ad" } },
  ];

  function open(cluster) {
    const filters = cluster.data("filters");
    const form = document.querySelector("form[data-graph-filters]");
    if (!filters || !form) return;
    ["circle", "organization", "interest"].forEach(function (name) {
      if (form.elements[name]) form.elements[name].value = filters[name] || "";
    });
    if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
  }

  function render(canvas, data) {
    if (current) current.destroy();
    canvas.hidden = false;
    const legend = document.querySelector("[data-graph-legend]");
    if (legend) legend.hidden = false;
    // The drawing takes the table's place; it stays a click away.
    const list = document.querySelector("[data-graph-list]");
    if (list) list.open = false;
    const cy = cytoscape({
      container: canvas, elements: elements(data), style: STYLE,
      layout: {
        name: "concentric", concentric: function (node) { return node.data("level"); },
        levelWidth: function () { return 1; }, minNodeSpacing: 8, avoidOverlap: true, animate: false,
      },
      minZoom: 0.1, maxZoom: 4,
    });
    cy.on("tap", "node[kind = 'person']", function (event) { window.location.href = event.target.data("url"); });
    cy.on("tap", "node[kind = 'cluster']", function (event) { open(event.target); });
    cy.on("mouseover", "node[kind = 'person'], node[kind = 'cluster']", function () { canvas.style.cursor = "pointer"; });
    cy.on("mouseout", "node", function () { canvas.style.cursor = ""; });
    current = cy;
    // For the browser tests: the instance, and how many nodes were drawn once it is ready.
    canvas.kithkinGraph = cy;
    canvas.dataset.drawn = String(cy.nodes().length);
  }

  function draw() {
    const canvas = document.getElementById("graph-canvas");
    if (!canvas || canvas.dataset.asked || typeof window.cytoscape !== "function") return;
    canvas.dataset.asked = "1";
    fetch(canvas.dataset.graphSrc, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error(String(response.status))); })
      .then(function (data) { render(canvas, data); })
      .catch(function () { /* the table stays: it holds the same people */ });
  }

  document.addEventListener("DOMContentLoaded", draw);
  // The filters swap the results in through htmx: draw the new ones.
  document.addEventListener("htmx:afterSettle", draw);
})();
