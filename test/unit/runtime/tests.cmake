# The runtime's unit test sources, shared by the regular build and the sanitizer builds.
set(ASYNCRT_UNIT_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/test_debug.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_fixit_spellings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_loop.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_stress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_sync.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_task.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_task_group.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_when_all.cpp)
