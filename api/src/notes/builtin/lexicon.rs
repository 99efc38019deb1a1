//! What reviewers say about each note category: the vocabulary of post-production feedback,
//! in the pattern syntax of [`super::words`] (`"jump cut"`, `"saturat*"`).
//!
//! Cues are grouped by how much they say on their own. A strong cue names the category's
//! subject ("music", "lower third", "drags"); a weak one leans towards it but is also said
//! about others ("hold", "shot", "wrong"). British and American spellings are both listed.

use crate::notes::structurer::Category;

/// The cues of one category.
#[derive(Debug)]
pub(super) struct Lexicon {
    pub(super) category: Category,
    /// Words and phrases that on their own say what a note is about.
    pub(super) strong: &'static [&'static str],
    /// Words and phrases that lean towards the category but are said about others too.
    pub(super) weak: &'static [&'static str],
}

/// Every category's lexicon, in the order that breaks ties between equal scores: categories
/// with a technical vocabulary first, since "LUT", "reverb" or "lower third" are rarely said in
/// passing, while "cut", "long", "shot" or "says" turn up in notes about anything.
pub(super) const LEXICONS: [Lexicon; 8] = [
    COLOR, AUDIO, GRAPHICS, VISUAL, EDITING, PACING, CONTENT, GENERAL,
];

#[rustfmt::skip]
const PACING: Lexicon = Lexicon {
    category: Category::Pacing,
    strong: &[
        // Speed
        "pacing", "pace", "paced", "slow", "slower", "sluggish", "faster", "quicker", "too fast",
        "too quick", "too slow", "speed up", "speed it up", "slow down", "slow it down",
        "pick up the pace", "pick it up", "picks up", "snappy", "snappier",
        // Length
        "too long", "too short", "shorter", "longer", "lengthen", "shorten", "tighten",
        "tightened", "tighter", "cut it down", "cut down", "trim it down", "condense", "runtime",
        "run time", "runs long", "goes on too long", "for ages", "forever",
        // Dragging
        "drag", "drags", "dragging", "draggy", "drawn out", "slog", "plod*", "meander*", "lull",
        "dead air", "momentum", "rhythm",
        // Holding
        "linger*", "overstay*", "sitting on", "sit on", "stay on", "stays on", "breathe",
        "breathing room", "room to breathe", "rushed", "rushing",
    ],
    weak: &[
        "long", "short", "quick", "fast", "length", "seconds", "minute", "minutes", "hold", "beat",
        "wait", "waiting", "pause", "pauses", "room", "energy", "flow", "timing", "tight", "dips",
        "sags", "boring", "bored",
    ],
};

#[rustfmt::skip]
const EDITING: Lexicon = Lexicon {
    category: Category::Editing,
    strong: &[
        // Cuts
        "cut", "cuts", "cutting", "edit", "edits", "editing", "jump cut", "hard cut", "match cut",
        "smash cut", "l cut", "j cut", "split edit", "cutaway", "cutaways", "cut away", "cut to",
        "cut back", "cut out", "cut into", "cut earlier", "cut later", "cut sooner", "cut point",
        "edit point", "in point", "out point", "intercut", "crosscut",
        // Transitions
        "transition*", "dissolve*", "cross dissolve", "fade to black", "fade in", "fade out",
        "fade up", "dip to black", "wipe",
        // Trims
        "trim", "trims", "trimmed", "trimming", "splice", "flash frame", "black frame", "frames",
        // Shot choice and order
        "b roll", "broll", "insert shot", "reaction shot", "alt take", "other take",
        "different take", "better take", "coverage", "reorder*", "rearrange*", "swap", "swapped",
        "shot order", "order of", "sequence", "sequencing", "montage", "open on", "open with",
        "end on", "land on",
        // Continuity and smoothness
        "continuity", "crosses the line", "crossing the line", "cross the line", "180", "choppy",
        "jarring",
        // Speed effects
        "speed ramp", "slow motion", "slowmo", "slo mo", "freeze frame",
    ],
    weak: &[
        "take", "takes", "clip", "clips", "footage", "shot", "shots", "timeline", "move", "moved",
        "earlier", "later", "sooner", "overlap", "extend", "remove", "drop", "lose", "replace",
        "reverse", "seamless", "smooth", "smoother", "crossfade", "abrupt", "abruptly",
    ],
};

#[rustfmt::skip]
const AUDIO: Lexicon = Lexicon {
    category: Category::Audio,
    strong: &[
        // The track
        "audio", "sound", "music", "song", "songs", "soundtrack", "music cue", "needle drop",
        "stinger", "jingle", "vocal*", "lyrics", "instrumental", "ring out", "rings out",
        "let it ring",
        // Levels
        "loud", "louder", "loudness", "quiet", "quieter", "volume", "levels", "gain", "db",
        "decibel*", "lufs", "mix", "mixed", "mixing", "remix", "sound design", "eq", "bass",
        "treble", "stereo", "mono", "duck", "ducking", "mute", "unmute", "silence", "silent",
        // Voices
        "dialogue", "dialog", "voice", "voices", "voiceover", "voice over", "vo", "narration",
        "mumbl*", "talking over", "talks over",
        // Recording
        "mic", "mics", "microphone", "lav", "lavalier", "room tone", "ambience", "ambient",
        "sound effect", "sound effects", "sfx", "foley", "whoosh", "swoosh",
        // Problems
        "hiss", "hum", "buzz", "buzzing", "noise", "background noise", "wind noise", "echo",
        "echoey", "echoy", "reverb", "muffled", "tinny", "boomy", "clipping", "peaking",
        "plosive*", "click", "clicks", "crackle", "crackling", "breath", "breaths", "sibilan*",
        "drown*", "dropout", "cuts out", "sync", "out of sync", "lip sync",
        // Hearing
        "hear", "heard", "hearing", "inaudible", "audible",
    ],
    weak: &[
        "sounds", "score", "track", "cue", "sting", "tempo", "level", "channel", "narrator",
        "boom", "noisy", "distort*", "pop", "pops", "popping", "harsh", "headphones",
    ],
};

#[rustfmt::skip]
const COLOR: Lexicon = Lexicon {
    category: Category::Color,
    strong: &[
        // The grade
        "color*", "colour*", "grade", "graded", "grading", "regrade", "lut", "luts", "rec 709",
        "gamma",
        // Saturation
        "saturat*", "desaturat*", "oversaturat*", "undersaturat*", "vibrant", "vivid", "sepia",
        "black and white", "monochrome",
        // Temperature and tint
        "warm", "warmer", "warmth", "too cool", "too cold", "too warm", "white balance", "tint",
        "tinted", "hue", "hues", "magenta", "teal", "greenish", "yellowish", "bluish", "reddish",
        "pinkish", "orangey", "sickly", "skin tone", "skin tones", "skintone*",
        // Exposure and contrast
        "exposure", "overexposed", "underexposed", "blown out", "washed out", "too dark",
        "too bright", "brightness", "brighten", "darken", "contrast", "contrasty", "crushed",
        "blacks", "whites", "midtones", "mid tones",
    ],
    weak: &[
        "cool", "cooler", "cold", "green", "orange", "yellow", "blue", "red", "pink", "skin",
        "dark", "darker", "bright", "brighter", "highlights", "shadows", "crush", "exposed",
        "blown", "washed", "flat", "muted", "dull", "pale", "moody", "filmic", "log", "match",
        "matches", "consistent",
    ],
};

#[rustfmt::skip]
const VISUAL: Lexicon = Lexicon {
    category: Category::Visual,
    strong: &[
        // Framing
        "framing", "framed", "reframe", "reframed", "reframing", "composition", "composed", "crop",
        "cropped", "cropping", "punch in", "punch into", "punched in", "headroom", "head room",
        "lead room", "looking room", "rule of thirds", "off center", "off centre", "aspect ratio",
        "letterbox*", "black bars", "pillarbox*", "split screen",
        // What is in frame
        "in shot", "in the shot", "in frame", "in the frame", "out of frame", "of frame",
        "into frame", "into the frame", "background", "foreground", "paint out", "paint it out",
        "wardrobe", "makeup", "blocking",
        // Shots
        "wide shot", "close up", "closeup", "medium shot", "establishing shot", "tight shot",
        "two shot", "tracking shot", "camera angle", "eyeline", "eye line",
        // Focus
        "out of focus", "in focus", "soft focus", "focus pull", "pull focus", "blurry", "sharp",
        "sharpen", "sharpness", "depth of field", "bokeh", "lens", "lens distortion", "fisheye",
        "vignett*",
        // Camera
        "camera", "camera move*", "zoom", "zoomed", "zooming", "tilt*", "pan", "pans", "panning",
        "handheld", "hand held", "tripod", "gimbal", "drone", "dolly", "locked off", "lock off",
        "shaky", "shake", "shaking", "wobbly", "wobble", "stabili*", "jitter*", "rolling shutter",
        "horizon", "crooked", "not level", "straighten",
        // Lighting
        "lighting", "lit", "backlit", "backlight*", "rim light", "key light", "fill light",
        "silhouette*", "glare", "flare", "lens flare", "reflection*",
        // Image quality and effects
        "resolution", "pixel*", "artifact*", "artefact*", "compression", "banding", "moire",
        "aliasing", "grain", "grainy", "dead pixel", "vfx", "visual effect*", "green screen",
        "greenscreen", "chroma", "keying", "rotoscop*", "clean plate",
    ],
    weak: &[
        "frame", "focus", "blur", "blurred", "soft", "centered", "centred", "light", "lights",
        "shadow", "angle", "angles", "wide", "image", "picture", "visual*", "shallow", "dust",
        "smudge", "mask*", "face", "cut off", "cramped", "blink*", "steady", "movement", "props",
    ],
};

#[rustfmt::skip]
const GRAPHICS: Lexicon = Lexicon {
    category: Category::Graphics,
    strong: &[
        // Titles and captions
        "title", "titles", "title card", "lower third", "lower thirds", "name tag", "nametag",
        "super", "supers", "chyron", "caption*", "subtitle*", "subs", "closed caption*", "text",
        "on screen text", "onscreen text",
        // Type
        "font", "fonts", "typeface", "typography", "kerning", "bold", "italic*", "all caps",
        "caps", "uppercase", "lowercase", "drop shadow", "align*", "safe area", "title safe",
        "legible", "illegible", "legibility", "readable", "unreadable", "hard to read",
        // Spelling
        "typo", "typos", "spelling", "spelled", "spelt", "misspell*",
        // Logos and cards
        "logo", "logos", "watermark", "branding", "end card", "end screen", "endcard",
        "intro card", "slate", "credits", "end credits", "bumper", "thumbnail", "template",
        // Other graphics
        "graphic", "graphics", "motion graphics", "mograph", "animation", "animated", "banner",
        "overlay", "callout", "arrow", "icon", "icons", "emoji", "ticker", "chart", "graph",
        "infographic", "diagram", "qr code", "url", "hashtag", "pop up", "popup",
    ],
    weak: &[
        "read", "size", "bigger", "smaller", "placement", "position", "animate", "stroke",
        "outline", "brand", "website", "card", "box", "on screen", "capital*", "map", "counter",
        "crawl", "sticker", "button",
    ],
};

#[rustfmt::skip]
const CONTENT: Lexicon = Lexicon {
    category: Category::Content,
    strong: &[
        // Story
        "story", "storyline", "storytelling", "narrative", "plot", "character", "characters",
        "hook", "conclusion", "chapter", "anecdote", "example", "topic", "takeaway",
        "talking point", "message", "messaging", "argument", "call to action", "cta", "audience",
        // What is said
        "script", "scripted", "this line", "that line", "the line", "line where", "quote",
        "quotes", "says", "said", "saying", "mention*", "interview", "interviewee", "soundbite",
        "sound bite", "reword", "rephrase", "wording", "phrasing", "pronounc*", "mispronounc*",
        // Clarity
        "explain*", "explanation", "context", "clarify", "confusing", "unclear", "make sense",
        "makes sense", "redundant", "repetitive",
        // Facts
        "fact", "facts", "factual*", "fact check", "accurate", "accuracy", "inaccurate",
        "misleading", "verify", "source", "sources", "citation", "cite", "claim*", "numbers",
        "statistic*", "stat", "stats", "figures", "percent", "percentage", "price", "pricing",
        "names", "spokesperson", "testimonial",
        // Sensitivity and legal
        "legal", "lawyer*", "sensitive", "offensive", "swear*", "profanity", "censor*", "spoiler*",
        "release form", "releases", "consent", "permission", "rights", "clearance", "cleared",
        "licen*", "joke", "jokes", "humour", "humor",
    ],
    weak: &[
        "line", "lines", "word", "words", "wrong", "incorrect", "correct", "true", "false", "date",
        "year", "number", "figure", "name", "answer", "question", "speaker", "viewers", "intro",
        "ending", "scene", "section", "segment", "subject", "point", "tone", "funny", "product",
        "customer", "company", "belong*",
    ],
};

/// General notes are recognised by what they are not about, so their cues are all weak: any
/// cue of a specific category outweighs praise or logistics said with it ("great music").
#[rustfmt::skip]
const GENERAL: Lexicon = Lexicon {
    category: Category::General,
    strong: &[],
    weak: &[
        "overall", "great", "love", "nice", "good", "awesome", "perfect", "looks good",
        "looks great", "well done", "good job", "great job", "nice work", "thanks", "thank you",
        "works", "works for me", "version", "draft", "final", "ready", "changes", "revision*",
        "feedback", "review", "approve*", "sign off", "export", "render", "upload", "deliver*",
        "deadline", "turnaround", "client", "meeting", "email", "send", "share", "link", "file",
        "project", "tomorrow", "social", "youtube", "instagram", "tiktok", "linkedin", "facebook",
        "whole thing", "everything", "in general", "generally",
    ],
};

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::notes::builtin::words::is_well_formed;

    #[test]
    fn every_category_has_one_lexicon() {
        let categories: Vec<Category> = LEXICONS.iter().map(|lexicon| lexicon.category).collect();
        let mut sorted = categories.clone();
        sorted.sort();
        assert_eq!(sorted, Category::ALL, "{categories:?}");
    }

    #[test]
    fn every_cue_can_match_and_is_listed_once() {
        for lexicon in &LEXICONS {
            let mut seen = HashSet::new();
            for cue in lexicon.strong.iter().chain(lexicon.weak) {
                assert!(is_well_formed(cue), "{cue:?} of {}", lexicon.category);
                assert!(seen.insert(cue), "{cue:?} twice in {}", lexicon.category);
            }
        }
    }
}
