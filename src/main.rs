//! Entry point of the browser app: it only mounts the root component.

fn main() {
    pe_configurator::mount();
}
