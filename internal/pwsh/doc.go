// Package pwsh writes the PowerShell that the lync client sends to a Windows
// host and reads what the host answers, following docs/wire.md exactly.
//
// Writing: values reach a script only as literals ([Quote], [Bool], [Int],
// [Array], [Null]); commands are built with [NewCommand], which refuses any
// shape outside the subset of wire.md §4. A script is wrapped in the frame
// line of wire.md §2 by [FrameLine], with a per-session [Marker]. The line is
// sent over stdin of [PersistentCommandLine], or as [EncodedCommandLine].
//
// Reading: a [FrameReader] takes stdout in chunks split anywhere and yields the
// [Result] of one frame (wire.md §3), ignoring noise; [ParseFrame] does the same
// for a whole output. [DecodeCLIXML] turns the CLIXML stderr of an
// -EncodedCommand run into its error text.
//
// Strings: a PowerShell single-quoted string ends at any of ' U+2018 U+2019
// U+201A U+201B, and any doubled one stands for the second, so [Quote] doubles
// each of the five. NUL, CR and LF are legal inside such a string and are
// carried unchanged (the frame line carries the script as base64, so a newline
// never ends a stdin line). A string that is not valid UTF-8 cannot survive the
// UTF-16 encoding PowerShell uses: [Valid] reports it with [ErrInvalidString]
// and the builder refuses it; [Quote] itself replaces each run of invalid bytes
// with U+FFFD, so its output is never an injectable literal.
//
// Every error matches one of the sentinels (ErrInvalidString, ErrBuild,
// ErrTooLong, ErrMalformed, ErrNoFrame) with errors.Is, and its struct
// ([BuildError], [TooLongError], [FrameError]) with errors.As. Nothing here does
// I/O or keeps global state; a Marker and a FrameReader are the only values
// with state.
package pwsh
