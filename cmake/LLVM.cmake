# Finds LLVM/Clang ${COROTIDY_LLVM_MAJOR} from Debian's packages and the clang-tidy library.
# LLVM's version file wants major.minor, so find it without a version and check the major.
set(_llvm_prefix /usr/lib/llvm-${COROTIDY_LLVM_MAJOR})
find_package(LLVM REQUIRED CONFIG HINTS ${_llvm_prefix}/lib/cmake/llvm NO_DEFAULT_PATH)
if(NOT LLVM_VERSION_MAJOR EQUAL COROTIDY_LLVM_MAJOR)
  message(FATAL_ERROR "Found LLVM ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}, wanted ${COROTIDY_LLVM_MAJOR}")
endif()
find_package(Clang REQUIRED CONFIG HINTS ${_llvm_prefix}/lib/cmake/clang NO_DEFAULT_PATH)
# clangd's remote-index libraries (linked into corotidy-clangd) name gRPC's and
# protobuf's CMake targets from LLVM 22 on; 19 links them by file name.
# Debian's gRPCConfig.cmake insists on grpc_cpp_plugin, which the link does
# not need: name the library directly.
if(LLVM_VERSION_MAJOR GREATER_EQUAL 22)
  find_package(Protobuf REQUIRED)
  add_library(gRPC::grpc++ INTERFACE IMPORTED)
  foreach(_lib grpc++ grpc gpr absl_synchronization)
    string(MAKE_C_IDENTIFIER "COROTIDY_LIB_${_lib}" _var)
    find_library(${_var} ${_lib} REQUIRED)
    target_link_libraries(gRPC::grpc++ INTERFACE ${${_var}})
  endforeach()
endif()
message(STATUS "corotidy: LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")

find_program(COROTIDY_CLANG clang-${COROTIDY_LLVM_MAJOR} HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
execute_process(COMMAND ${COROTIDY_CLANG} -print-resource-dir
  OUTPUT_VARIABLE COROTIDY_CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "corotidy: clang resource dir ${COROTIDY_CLANG_RESOURCE_DIR}")
find_package(fmt REQUIRED)

# Everything that includes LLVM headers compiles like LLVM itself: no RTTI, LLVM's defines.
add_library(corotidy_llvm INTERFACE)
target_include_directories(corotidy_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
separate_arguments(_llvm_defs NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_compile_definitions(corotidy_llvm INTERFACE ${_llvm_defs}
  COROTIDY_LLVM_MAJOR=${LLVM_VERSION_MAJOR})
if(NOT LLVM_ENABLE_RTTI)
  target_compile_options(corotidy_llvm INTERFACE -fno-rtti)
endif()
target_compile_options(corotidy_llvm INTERFACE -Wall -Wextra -Wno-unused-parameter)
