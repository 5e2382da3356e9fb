#if canImport(Glibc)
    import Glibc
#endif

/// Switching the terminal into raw mode (no echo, no line buffering, no signals) and back.
enum RawMode {
    static func enter() -> termios? {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { return nil }
        return saved
    }

    static func leave(_ saved: inout termios) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
    }
}
