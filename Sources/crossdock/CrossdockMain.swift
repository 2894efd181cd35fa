import ArgumentParser
import CAllocator
import CrossdockCLI

@main
struct CrossdockMain {
    static func main() async {
        crossdock_keep_freed_memory()
        await Crossdock.main(nil)
    }
}
