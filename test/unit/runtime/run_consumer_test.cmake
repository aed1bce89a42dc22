# ctest script: install asyncrt from BUILD_DIR into PREFIX, then configure, build and run
# the consumer project in SOURCE_DIR against it (find_package(asyncrt CONFIG)).
foreach(var BUILD_DIR PREFIX WORK_DIR SOURCE_DIR CXX GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer_test.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${PREFIX} ${WORK_DIR})

function(run_step)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGV}")
  endif()
endfunction()

run_step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --component asyncrt)

foreach(expected
    include/asyncrt/asyncrt.hpp include/asyncrt/task.hpp include/asyncrt/run.hpp
    include/asyncrt/sleep.hpp include/asyncrt/when_all.hpp include/asyncrt/task_group.hpp
    include/asyncrt/spawn.hpp include/asyncrt/semaphore.hpp include/asyncrt/mutex.hpp
    include/asyncrt/thread_pool.hpp include/asyncrt/offload.hpp include/asyncrt/io.hpp
    include/asyncrt/debug.hpp include/asyncrt/detail/promise_base.hpp)
  if(NOT EXISTS ${PREFIX}/${expected})
    message(FATAL_ERROR "install is missing ${expected}")
  endif()
endforeach()
file(GLOB_RECURSE config_files ${PREFIX}/*/asyncrtConfig.cmake ${PREFIX}/*/asyncrtConfigVersion.cmake)
list(LENGTH config_files n)
if(n LESS 2)
  message(FATAL_ERROR "install is missing asyncrtConfig.cmake / asyncrtConfigVersion.cmake")
endif()

run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} -G ${GENERATOR}
  -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${PREFIX})
run_step(${CMAKE_COMMAND} --build ${WORK_DIR})
run_step(${WORK_DIR}/consumer)
message(STATUS "consumer built and ran against the installed asyncrt package")
