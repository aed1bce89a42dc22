#include "lazy.hpp"
// Lines added above the function, and the function reformatted.
Lazy work();
Lazy other();

Lazy helper() { co_await work(); }

Lazy caller()
{
    work( );
    co_return;
}
