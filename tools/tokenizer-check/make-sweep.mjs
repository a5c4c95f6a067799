// Writes an item text TSV that puts every code point of planes 0-3 and 14 (surrogates, tab, LF and CR
// excepted) between letters, plus hand-made edge cases (long words, special tokens, CJK, accents), so that
// check.mjs compares the C# tokenizer with HuggingFace's character by character.
// Usage: node make-sweep.mjs OUT.tsv
import { writeFileSync } from "node:fs";

const out = process.argv[2];
if (!out) {
  console.error("usage: node make-sweep.mjs OUT.tsv");
  process.exit(2);
}

const rows = ["itemID\ttext"];
let id = 0;
const add = (text) => rows.push(`${id++}\t${text}`);
const planes = [[0x0, 0x3ffff], [0xe0000, 0xeffff]];
for (const [first, last] of planes) {
  for (let cp = first; cp <= last; cp++) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x09 || cp === 0x0a || cp === 0x0d) continue;
    const c = String.fromCodePoint(cp);
    add(`ab${c}cd ${c} E${c}x`);
  }
}
add("x".repeat(100));
add("x".repeat(101));
add("é".repeat(100) + " " + "e\u0301".repeat(60));
add("\u{1D400}".repeat(99) + "a " + "\u{1D400}".repeat(101));
add("[CLS] one [SEP] two[MASK]three [UNK][PAD] [cls] [Sep]");
add("İstanbul ǅemal ﬁne Ⅻ ß ẞ Σίσυφος ΌΣΟΣ");
add("中文字符 한국어 日本語のテキスト ｆｕｌｌｗｉｄｔｈ");
add("unaffable " + "supercalifragilistic".repeat(5) + " don't 3.5\" 1/2\" ±0.03mm");
add("word ".repeat(400));
writeFileSync(out, rows.join("\n") + "\n");
console.log(`wrote ${id} rows to ${out}`);
