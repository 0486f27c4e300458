// Copies what the pages load from npm packages into app/static/dist.
// No GOV.UK fonts or crown images: this is a council and NHS service, not GOV.UK.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const from = "node_modules/govuk-frontend/dist/govuk";
const to = "app/static/dist";
mkdirSync(to, { recursive: true });
for (const file of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(`${from}/${file}`, `${to}/${file}`);
}

// Urdu: Noto Nastaliq Urdu (fontsource), so a device without an Urdu font does not show boxes.
// Only its Arabic-script files, in regular and bold; the layout links urdu.css on Urdu pages only.
const urdu = "node_modules/@fontsource/noto-nastaliq-urdu";
mkdirSync(`${to}/fonts`, { recursive: true });
let css = "";
for (const weight of ["400", "700"]) {
  for (const format of ["woff2", "woff"]) {
    const file = `noto-nastaliq-urdu-arabic-${weight}-normal.${format}`;
    copyFileSync(`${urdu}/files/${file}`, `${to}/fonts/${file}`);
  }
  css += readFileSync(`${urdu}/arabic-${weight}.css`, "utf8").replaceAll("./files/", "fonts/");
  css += "\n";
}
copyFileSync(`${urdu}/LICENSE`, `${to}/fonts/noto-nastaliq-urdu-LICENSE.txt`);
writeFileSync(`${to}/urdu.css`, css);
