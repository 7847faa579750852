#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's own resource counters.
enum ResourceUsage {
    /// The peak resident set size so far, in MiB (`ru_maxrss` is KiB on Linux and bytes on macOS).
    static func maximumResidentMiB() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #else
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1_024
        #endif
    }
}
