import Foundation

// SwiftPM links an executable's entry point as `<Target>_main`, so libFuzzer's own main is
// not used: each target's main hands libFuzzer the arguments and its function through here.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the process's arguments, calling `test` with each input; exits with
/// libFuzzer's status.
public func runFuzzer(_ test: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> Never {
    var arguments = CommandLine.argc
    var argumentValues = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&arguments, &argumentValues, test))
}
