// mimalloc: evaluation allocates many small, short-lived values; glibc's
// allocator took about a third of a batch's time (see BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    qagida::cli::main()
}
