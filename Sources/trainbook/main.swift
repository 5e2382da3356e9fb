// trainbook: the command-line entry point. Thin wiring over the libraries.
import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

let usage = """
    usage: trainbook <command> [options]

    commands:
      kernel -f CONNECTION_FILE   run as a Jupyter kernel
      install [--user | --prefix DIR] [--name NAME]
                                  install the kernelspec
      run FILE.ipynb|FILE.swift   execute a notebook or script and print its outputs
      console [--existing FILE]   interactive console
    """

print(usage)
exit(CommandLine.arguments.count > 1 ? 2 : 0)
