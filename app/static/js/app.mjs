// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/dist/govuk-frontend.min.js";

initAll();
