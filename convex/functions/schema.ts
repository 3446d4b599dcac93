// The team's copy of JFDI's generation log. Each machine writes its SQLite journal first and
// pushes here later, so every record carries the id its machine gave it (`clientId`): a push that
// is retried finds the first copy instead of adding a second one.
//
// Numbers are v.number() (float64), never v.int64(): Python ints arrive over the HTTP API's JSON
// format as plain JSON numbers, which Convex reads as float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export const attempt = v.object({
  provider: v.string(),
  model: v.optional(v.string()),
  outcome: v.string(), // ok | error | skipped | stopped
  error: v.optional(v.string()),
  ttftS: v.optional(v.number()),
  seconds: v.optional(v.number()),
});

// What the user attached (purchase orders, BOMs, spec sheets): metadata only, never the content.
export const documentMeta = v.object({
  name: v.string(),
  sha256: v.string(),
  engines: v.array(v.string()), // text, ocr, dolphin, xlsx, csv, docx, txt, md
  pages: v.number(), // pages read
  pageCount: v.optional(v.number()), // pages in the file (more when the page limit cut it)
  edited: v.optional(v.boolean()), // the user corrected the parsed text before generating
});

// An image given with a request: a reference, not the file. The image stays in the data folder of
// the machine it was given on (<data>/images, by this hash): photos of shop documents are often
// confidential, a photo is larger than Convex's 1 MiB document limit, and file storage would add an
// upload round trip per image to every push. The hash names the file, so a teammate who has it (or
// is sent it) can match it, and the same photo used twice is recognisably one.
export const imageMeta = v.object({
  sha256: v.string(),
  name: v.string(),
  mediaType: v.string(), // image/png | image/jpeg, as prepared for the models
  width: v.number(),
  height: v.number(),
  bytes: v.number(),
});

// `images`: the sha256 of the images given with that turn.
// mode: applied (edit blocks) | whole (whole files) | none (the previous version kept); `parsed`
// absent when no parse could run (`parseNote` says why).
export const editOutcome = v.object({
  mode: v.string(),
  changed: v.array(v.string()),
  reasks: v.array(v.string()),
  parsed: v.optional(v.boolean()),
  parseNote: v.string(),
});
export const turn = v.object({ prompt: v.string(), answer: v.string(), images: v.optional(v.array(v.string())) });

// One file of a generated project; `code` above is the entry file's content.
export const projectFile = v.object({ path: v.string(), content: v.string() });

// Enumerations (status, outcome) stay plain strings on purpose: a value that a newer client adds
// must not make its records impossible to push.
export const generationFields = {
  clientId: v.string(),
  createdAt: v.number(), // ms since the epoch, on the machine that made it
  workspace: v.string(),
  prompt: v.string(),
  providerRequested: v.optional(v.string()),
  provider: v.optional(v.string()),
  model: v.optional(v.string()),
  status: v.string(), // ok | error | stopped
  error: v.optional(v.string()),
  code: v.string(),
  raw: v.string(),
  stopReason: v.optional(v.string()),
  inputTokens: v.optional(v.number()),
  outputTokens: v.optional(v.number()),
  costUsd: v.optional(v.number()),
  ttftS: v.optional(v.number()),
  totalS: v.optional(v.number()),
  attempts: v.array(attempt),
  notices: v.array(v.string()),
  conversation: v.array(turn),
  // Earlier turns left out to keep the document under Convex's size limit (the journal has them).
  conversationOmitted: v.optional(v.number()),
  parentId: v.optional(v.string()),
  // Rounds in which an answer cut off at the token limit was continued (absent: older records).
  continues: v.optional(v.number()),
  // The version timeline (jfdi/versions.py): the conversation's first version's clientId, and how
  // this version was made (answer | fix | regenerate | rerun | edit | restore | fork). Optional:
  // records pushed before versions were kept have neither (each is a conversation of its own).
  conversationId: v.optional(v.string()),
  kind: v.optional(v.string()),
  documents: v.array(documentMeta),
  // Optional: records pushed by clients from before images were taken have none.
  images: v.optional(v.array(imageMeta)),
  // The preview's findings (syntax, type-check, runtime errors), filled in after the answer.
  checks: v.optional(v.any()),
  // The project's files in order (absent: older records, and ones too large to keep here).
  files: v.optional(v.array(projectFile)),
  // How a follow-up's answer was used (jfdi/edits/follow_up.py); absent for a first answer.
  edit: v.optional(editOutcome),
};

export const workspaceFields = {
  clientId: v.string(),
  name: v.string(),
  createdAt: v.number(),
};

// A share link: a random token that opens one generation read-only (jfdi/store/shares.py). The
// token is the key: it is what every replica is asked for. A revoked link keeps its document, so
// that a late push of the same link from another machine cannot bring it back.
export const shareFields = {
  token: v.string(),
  generationId: v.string(), // the generation's clientId
  public: v.boolean(), // opens without the app's login
  createdAt: v.number(),
  revokedAt: v.optional(v.number()),
};

export default defineSchema({
  generations: defineTable(generationFields)
    .index("by_client_id", ["clientId"])
    .index("by_created", ["createdAt"])
    .index("by_workspace", ["workspace", "createdAt"])
    .index("by_conversation", ["conversationId", "createdAt"]),
  workspaces: defineTable({
    ...workspaceFields,
    nameKey: v.string(), // the name folded for uniqueness: "Line 2" and "line  2" are one workspace
  })
    .index("by_client_id", ["clientId"])
    .index("by_name_key", ["nameKey"])
    .index("by_created", ["createdAt"]),
  shares: defineTable(shareFields).index("by_token", ["token"]).index("by_created", ["createdAt"]),
});
