/// The version of ris, in one place: `ris --version`, and what generated a file says.
public enum RISVersion {
    public static let current = "0.2.0"
}
