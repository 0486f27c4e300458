// Copies what the pages load from the govuk-frontend package into app/static/dist.
// No fonts or crown images: this is a council and NHS service, not GOV.UK.
import { copyFileSync, mkdirSync } from "node:fs";

const from = "node_modules/govuk-frontend/dist/govuk";
const to = "app/static/dist";
mkdirSync(to, { recursive: true });
for (const file of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(`${from}/${file}`, `${to}/${file}`);
}

