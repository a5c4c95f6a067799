// Compares MultiRec's C# token ids with HuggingFace `tokenizers` (Rust, via its Node binding) item by item.
// The HuggingFace side is all-MiniLM-L6-v2's tokenizer.json rebuilt from its parts: the model's
// vocabulary (written by `multirec data features tokens --vocab-out`), BertNormalizer(clean_text,
// handle_chinese_chars, strip_accents=null, lowercase), BertPreTokenizer, WordPiece(## prefix, 100 chars
// per word), [CLS] $A [SEP], the five special tokens as added tokens; truncation 256 as sentence-transformers.
// Usage: node check.mjs VOCAB TOKENS.jsonl [--show N]
import { readFileSync } from "node:fs";
import { Tokenizer } from "tokenizers";

const [vocabPath, dumpPath] = process.argv.slice(2);
const showAt = process.argv.indexOf("--show");
const show = showAt > 0 ? Number(process.argv[showAt + 1]) : 10;
if (!vocabPath || !dumpPath) {
  console.error("usage: node check.mjs VOCAB TOKENS.jsonl [--show N]");
  process.exit(2);
}

const vocabLines = readFileSync(vocabPath, "utf8").split("\n");
if (vocabLines[vocabLines.length - 1] === "") vocabLines.pop();
const vocab = Object.fromEntries(vocabLines.map((token, id) => [token, id]));
const special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const tokenizerJson = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: special.map((content) => ({
    id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  })),
  normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
    pair: [
      { SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } },
      { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } },
    ],
    special_tokens: {
      "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] },
      "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] },
    },
  },
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
};

const full = Tokenizer.fromString(JSON.stringify(tokenizerJson));
const truncated = Tokenizer.fromString(JSON.stringify(tokenizerJson));
truncated.setTruncation(256);

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const lines = readFileSync(dumpPath, "utf8").split("\n").filter((l) => l.length > 0);
let items = 0, fullMismatch = 0, truncatedMismatch = 0, shown = 0, longest = 0;
const badChars = new Map();
for (const line of lines) {
  const row = JSON.parse(line);
  items++;
  const hfAll = Array.from((await full.encode(row.text)).getIds());
  const hfIds = Array.from((await truncated.encode(row.text)).getIds());
  longest = Math.max(longest, hfAll.length);
  const okAll = same(hfAll, row.all);
  const okIds = same(hfIds, row.ids);
  if (!okAll) fullMismatch++;
  if (!okIds) truncatedMismatch++;
  if (!okAll || !okIds) {
    for (const ch of row.text) if (ch.codePointAt(0) > 127) badChars.set(ch, (badChars.get(ch) ?? 0) + 1);
    if (shown++ < show) {
      let at = 0;
      while (at < hfAll.length && hfAll[at] === row.all[at]) at++;
      console.log(`item ${row.itemID} (line ${row.line}): first difference at token ${at}`);
      console.log(`  hf: ${hfAll.slice(Math.max(0, at - 3), at + 5).map((id) => vocabLines[id]).join(" ")}`);
      console.log(`  c#: ${row.all.slice(Math.max(0, at - 3), at + 5).map((id) => vocabLines[id]).join(" ")}`);
    }
  }
}
console.log(`${items} items; ${fullMismatch} differ untruncated; ${truncatedMismatch} differ at 256 tokens; longest ${longest} tokens`);
if (badChars.size > 0) {
  console.log("non-ASCII characters in differing items: " +
    [...badChars].map(([ch, n]) => `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}×${n}`).join(" "));
}
process.exit(fullMismatch + truncatedMismatch === 0 ? 0 : 1);
