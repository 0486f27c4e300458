// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/dist/govuk-frontend.min.js";

initAll();

// Survey questions that depend on an answer on the same page (macros/survey_questions.html):
// shown only while that answer is chosen. Without JavaScript they are always shown.
function initConditionalQuestions(root) {
  root.querySelectorAll("[data-app-show-when]").forEach((block) => {
    const form = block.closest("form");
    if (!form) return;
    const radios = [...form.querySelectorAll("input[type=radio]")].filter(
      (radio) => radio.name === block.dataset.appShowWhen,
    );
    const update = () => {
      block.hidden = !radios.some((radio) => radio.checked && radio.value === block.dataset.appShowValue);
    };
    radios.forEach((radio) => radio.addEventListener("change", update));
    update();
  });
}

initConditionalQuestions(document);
