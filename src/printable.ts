// Text from articles, their metadata and file names made safe to show. A terminal obeys escape sequences in what it
// prints (clear the screen, set the window title, an OSC 8 link whose text names one site and opens another) and bidi
// overrides make text read other than it is stored; an article must not be able to do either. Shared by the terminal
// formatter, the CLI's other output and the bot's plain labels, so that every front end drops the same characters.

// Escape sequences as a terminal reads them, 7-bit (ESC …) or 8-bit (C1): CSI with its parameters and final byte; OSC
// and the other string commands (DCS, SOS, PM, APC) up to their terminator (BEL or ST) or the end of the line; any
// other ESC with its intermediate and final bytes. Removed whole, so that no "[2J" or window title is left behind.
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is this file's job
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;

// What is left to drop: C0 controls but tab and newline, DEL, C1 controls, and the bidi controls (embeddings,
// overrides, isolates, the marks and the Arabic letter mark).
const CONTROL = /(?![\t\n])\p{Cc}|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `text` without escape sequences, control characters other than newline and tab, or bidi controls. */
export function printableText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}
