@echo off
rem The Portcullis command line for cmd and PowerShell. Portcullis.exe is a Windows (GUI) program, which a
rem console does not wait for; a batch file does, and passes its exit code on. Installed as <install folder>\bin\
rem portcullis.cmd and put on the machine PATH by the installer.
setlocal
"%~dp0..\Portcullis.exe" --cli %*
exit /b %ERRORLEVEL%
