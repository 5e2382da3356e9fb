// trainbook: the command-line entry point. Thin wiring over the libraries.
import Jupyter

#if canImport(Glibc)
    import Glibc
#endif

let usage = """
    usage: trainbook <command> [options]

    commands:
      kernel -f CONNECTION_FILE [--allow-unsigned]
                                  run as a Jupyter kernel
      install [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name TEXT]
              [--env KEY=VALUE ...] [--interrupt-mode signal|message]
                                  install the kernelspec
      run FILE.ipynb|FILE.swift [--output OUT.ipynb] [--kernel NAME] [--timeout S] [--allow-errors]
                                  execute a notebook or script and print its outputs
      console [--existing CONNECTION_FILE | --kernel NAME] [--images DIR]
                                  interactive console
    """

// SIGINT becomes a message to a dedicated thread (kernel: interrupt the cell; clients:
// interrupt the kernel) instead of ending the process.
InterruptSignal.install()

let command = CommandLine.arguments.dropFirst().first ?? "help"
let arguments = Arguments(CommandLine.arguments.dropFirst(2))
do throws(JupyterError) {
    switch command {
    case "kernel": try KernelCommand.run(arguments)
    case "install": try InstallCommand.run(arguments)
    case "run": exit(try RunCommand.run(arguments))
    case "console": try ConsoleCommand.run(arguments)
    case "help", "--help", "-h": print(usage)
    default: throw JupyterError.usage("unknown command \"\(command)\"\n\(usage)")
    }
} catch {
    var message = "trainbook: \(error.description)\n"
    message.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    exit(2)
}
