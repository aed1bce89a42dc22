#pragma once
Lazy work();
