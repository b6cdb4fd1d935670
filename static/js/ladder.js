// The memorisation ladder in the browser: a line at its rung, and the three grades a teen
// gives after a tap. Mirrors sessions_app/ladder.py (the server decides rungs; this only draws).
import { api, el } from "./api.js";

export const RUNG_WORDS = ["Full line", "First words", "First letters", "Cue only"];
const FIRST_WORDS = 3;

export function firstLetters(text) {
  return text.replace(/([\p{L}\p{N}])[\p{L}\p{N}'’-]*/gu, "$1");
}

/** The line as shown at a rung: 0 all of it, 1 the first words, 2 first letters, 3 nothing. */
export function shownAt(text, rung) {
  if (rung <= 0) return text;
  if (rung === 1) {
    const words = text.split(/\s+/).filter(Boolean);
    return words.slice(0, FIRST_WORDS).join(" ") + (words.length > FIRST_WORDS ? " …" : "");
  }
  if (rung === 2) return firstLetters(text);
  return "";
}

// What the teen presses, and the grade each sends (the same grades listen mode gives).
export const GRADES = [["good", "Got it"], ["hard", "Nearly"], ["again", "Missed"]];

export function sendGrade(sessionId, lineId, grade, seconds = 0) {
  return api(`sessions/${encodeURIComponent(sessionId)}/practice/${encodeURIComponent(lineId)}`,
    { method: "POST", json: { grade, seconds: Math.max(0, Math.min(600, Math.round(seconds))) } });
}

/** Three buttons; onGrade(grade) runs once, whichever is pressed first. */
export function gradeButtons(onGrade) {
  const group = el("div", { class: "grade-buttons", role: "group", "aria-label": "How did that go?" });
  let done = false;
  for (const [grade, words] of GRADES) {
    const button = el("button", { type: "button", class: `grade grade-${grade}`, dataset: { grade } }, words);
    button.addEventListener("click", () => {
      if (done) return;
      done = true;
      for (const b of group.querySelectorAll("button")) b.disabled = true;
      onGrade(grade);
    });
    group.append(button);
  }
  return group;
}

/** After a tap on the rehearse page: offer the grades under the line just said, without stopping
 * the rehearsal. onGraded(result) gets the line's new rung. */
export function offerGrade(item, sessionId, lineId, onGraded) {
  for (const old of document.querySelectorAll(".line .grade-offer")) old.remove();
  if (!item) return;
  const offer = el("div", { class: "grade-offer" }, el("span", { class: "small muted" }, "How was that line? "));
  offer.append(gradeButtons(async (grade) => {
    try {
      const result = await sendGrade(sessionId, lineId, grade);
      offer.replaceChildren(el("span", { class: "small muted" }, `Saved: now at “${RUNG_WORDS[result.rung]}”.`));
      onGraded(result);
    } catch {
      offer.replaceChildren(el("span", { class: "small muted" }, "That grade didn't save. It's fine: carry on."));
    }
  }));
  item.append(offer);
}
