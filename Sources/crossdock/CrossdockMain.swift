import ArgumentParser
import CrossdockCLI

@main
struct CrossdockMain {
    static func main() async {
        await Crossdock.main(nil)
    }
}
