// Copy the browser files of the npm dependencies into the Python package's static/vendor/,
// so that CityLoop serves them itself and no page ever asks another host for code.
import { cpSync, mkdirSync, rmSync, existsSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "src", "cityloop", "web", "static", "vendor");

// package -> [source path inside the package, destination inside vendor/]
const FILES = {
  "htmx.org": [["dist/htmx.min.js", "htmx/htmx.min.js"]],
  leaflet: [
    ["dist/leaflet.js", "leaflet/leaflet.js"],
    ["dist/leaflet.css", "leaflet/leaflet.css"],
    ["dist/images", "leaflet/images"],
  ],
  echarts: [["dist/echarts.min.js", "echarts/echarts.min.js"]],
};

rmSync(vendor, { recursive: true, force: true });
const versions = {};
for (const [name, files] of Object.entries(FILES)) {
  const root = join(modules, name);
  if (!existsSync(root)) {
    console.error(`missing ${name}: run "npm ci" (or "npm install") in web/ first`);
    process.exit(1);
  }
  versions[name] = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  for (const [from, to] of files) {
    const target = join(vendor, to);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(root, from), target, { recursive: true });
  }
}
writeFileSync(join(vendor, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`vendor files written to ${vendor}:`, versions);
