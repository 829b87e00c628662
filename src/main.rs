fn main() -> std::process::ExitCode {
    qagida::cli::main()
}
